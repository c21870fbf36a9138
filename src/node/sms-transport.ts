import type { RawConfig } from '../config.js';
import { LocalTransport } from '../sms/twilio/local-transport.js';
import { twilioConfigFrom } from '../sms/twilio/twilio-config.js';
import type { SmsTransport } from '../sms/twilio/transport.js';

/**
 * Twilio (the SDK) when credentials are set, otherwise the local recorder (texts marked as not sent).
 * The SDK is loaded only then: loading it took 0.2 s of a 1.1 s start.
 */
export async function smsTransportFrom(raw: RawConfig): Promise<SmsTransport> {
  const twilio = twilioConfigFrom(raw);
  if (!twilio) return new LocalTransport();
  const { TwilioTransport } = await import('../sms/twilio/twilio-transport.js');
  return new TwilioTransport(twilio);
}
