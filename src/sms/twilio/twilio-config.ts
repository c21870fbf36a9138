import type { RawConfig } from '../../config.js';
import type { OutgoingSms } from './transport.js';

// Kept apart from the SDK transport: the Workers bundle needs these but must not pull in the twilio SDK (7 MB).
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  /** A regional edge, or a local Twilio double in tests. */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

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

/** The practice's own sender wins over the server's default; a messaging service over a bare number. */
export function senderParams(cfg: TwilioConfig, msg: OutgoingSms): { messagingServiceSid: string } | { from: string } {
  const own = msg.sender;
  if (own?.messagingServiceSid) return { messagingServiceSid: own.messagingServiceSid };
  if (own?.from) return { from: own.from };
  return cfg.messagingServiceSid ? { messagingServiceSid: cfg.messagingServiceSid } : { from: cfg.from! };
}
