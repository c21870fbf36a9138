/**
 * Mobile numbers as typed by a CLP ("07700 900123", "+44 (0)7700-900123", "0044…") to E.164.
 * UK numbers must be mobiles (07, not 070 personal numbers or 076 pagers, except Isle of Man
 * 07624) because the number is only used for SMS; other countries are accepted in E.164 form.
 */
export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

export function normaliseMobile(input: string): PhoneResult {
  const raw = input.trim();
  if (!/^[+\d][\d\s().-]*$/.test(raw)) return { ok: false, message: 'use digits only, like 07700 900123 or +447700900123' };
  let digits = raw.replace(/\(0\)/g, '').replace(/[\s().-]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  if (digits.startsWith('0')) digits = `+44${digits.slice(1)}`;
  else if (!digits.startsWith('+')) digits = digits.startsWith('44') ? `+${digits}` : `+44${digits}`;
  if (!/^\+[1-9]\d{7,14}$/.test(digits)) return { ok: false, message: 'is not a valid phone number' };
  if (digits.startsWith('+44')) {
    const national = digits.slice(3);
    if (!/^7\d{9}$/.test(national)) return { ok: false, message: 'is not a UK mobile number (it should start 07 and have 11 digits)' };
    if (/^7[06]/.test(national) && !national.startsWith('7624'))
      return { ok: false, message: 'is not a UK mobile number (070 and 076 numbers cannot get texts)' };
  }
  return { ok: true, e164: digits };
}

/** A UK mobile as people write it ("07700 900109"); any other number as stored, in international form. */
export function displayPhone(e164: string | null): string | null {
  if (e164 === null) return null;
  const uk = /^\+44(7\d{3})(\d{6})$/.exec(e164);
  return uk ? `0${uk[1]} ${uk[2]}` : e164;
}
