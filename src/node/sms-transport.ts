import type { RawConfig } from '../config.js';
import { LocalTransport } from '../sms/local-transport.js';
import type { SmsTransport } from '../sms/transport.js';
import { TwilioTransport } from '../sms/twilio-transport.js';

/** Twilio when credentials are set, otherwise the local recorder (texts marked as not sent). */
export function smsTransportFrom(raw: RawConfig): SmsTransport {
  if (raw.TWILIO_ACCOUNT_SID && raw.TWILIO_AUTH_TOKEN) {
    return new TwilioTransport({
      accountSid: raw.TWILIO_ACCOUNT_SID,
      authToken: raw.TWILIO_AUTH_TOKEN,
      from: raw.TWILIO_FROM,
      messagingServiceSid: raw.TWILIO_MESSAGING_SERVICE_SID,
      apiBaseUrl: raw.TWILIO_API_BASE_URL,
    });
  }
  return new LocalTransport();
}
