import type { RawConfig } from '../config.js';
import type { TwilioConfig } from './twilio-transport.js';

/** Twilio settings from the environment, or null when texts should only be recorded locally. */
export function twilioConfigFrom(raw: RawConfig): TwilioConfig | null {
  if (!raw.TWILIO_ACCOUNT_SID || !raw.TWILIO_AUTH_TOKEN) return null;
  return {
    accountSid: raw.TWILIO_ACCOUNT_SID,
    authToken: raw.TWILIO_AUTH_TOKEN,
    from: raw.TWILIO_FROM,
    messagingServiceSid: raw.TWILIO_MESSAGING_SERVICE_SID,
    apiBaseUrl: raw.TWILIO_API_BASE_URL,
  };
}
