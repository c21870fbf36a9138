import { DateTime } from 'luxon';

/**
 * Whether a CHI number is well formed: ten digits, the first six a real date of birth (DDMMYY, in
 * either century), and the tenth a modulus-11 check digit over the first nine (weights 10 to 2;
 * 11 - remainder, 11 meaning 0 and 10 never valid). Returns why not, or null.
 */
export function chiProblem(chi: string): string | null {
  if (!/^\d{10}$/.test(chi)) return 'a CHI number is 10 digits';
  const day = Number(chi.slice(0, 2));
  const month = Number(chi.slice(2, 4));
  const yy = Number(chi.slice(4, 6));
  const real = [1900 + yy, 2000 + yy].some((year) => DateTime.fromObject({ year, month, day }).isValid);
  if (!real) return 'the first six digits of a CHI number are a date of birth (DDMMYY)';
  const sum = [...chi.slice(0, 9)].reduce((n, d, i) => n + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  if (expected === 10 || expected !== Number(chi[9])) return 'the check digit of that CHI number does not match: check it was typed correctly';
  return null;
}

/** "010 190 1234" and "0101901234" are the same CHI. */
export const normaliseChi = (v: string) => v.replace(/[\s-]/g, '');
