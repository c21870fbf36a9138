/**
 * Twilio's X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each form key and value,
 * keys sorted)). WebCrypto only, so Workers can check it too.
 */
export async function twilioSignature(authToken: string, url: string, params: Record<string, string>): Promise<string> {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(data)));
  let s = '';
  for (const b of sig) s += String.fromCharCode(b);
  return btoa(s);
}

export async function validTwilioSignature(authToken: string, url: string, params: Record<string, string>, given: string | undefined): Promise<boolean> {
  if (!given) return false;
  const expected = await twilioSignature(authToken, url, params);
  if (expected.length !== given.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return diff === 0;
}
