import { twilioSignature } from '../../src/sms/twilio/twilio-signature.js';
import { testConfig, type TestApp } from './test-app.js';

/** A webhook call as Twilio makes it: form-encoded, signed over the public URL (or badly signed, to test refusal). */
export async function twilioPost(t: TestApp, path: string, params: Record<string, string>, opts: { badSignature?: boolean } = {}) {
  const url = `${testConfig.publicBaseUrl}${path}`;
  const signature = opts.badSignature ? 'bm9wZQ==' : await twilioSignature(testConfig.twilioAuthToken!, url, params);
  const res = await t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}

let sids = 0;
/** A patient's text arriving on the inbound webhook; `extra` overrides To, adds OptOutType, etc. */
export const inboundText = (t: TestApp, from: string, body: string, extra: Record<string, string> = {}) =>
  twilioPost(t, '/webhooks/twilio/inbound', { From: from, To: '+447700900999', Body: body, MessageSid: `SMtest${String(++sids).padStart(26, '0')}`, ...extra });
