import type { RawConfig } from '../config.js';
import { LocalTransport } from '../sms/local-transport.js';
import { twilioConfigFrom } from '../sms/twilio-config.js';
import type { SmsTransport } from '../sms/transport.js';
import { TwilioTransport } from '../sms/twilio-transport.js';

/** Twilio (the SDK) when credentials are set, otherwise the local recorder (texts marked as not sent). */
export function smsTransportFrom(raw: RawConfig): SmsTransport {
  const twilio = twilioConfigFrom(raw);
  return twilio ? new TwilioTransport(twilio) : new LocalTransport();
}
