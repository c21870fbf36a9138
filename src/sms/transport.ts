/** What the dispatcher needs from an SMS provider; Twilio (SDK or fetch) and the local recorder implement it. */
export interface SmsTransport {
  readonly name: string;
  send(msg: { to: string; body: string; statusCallback?: string }): Promise<{ sid: string; status: string }>;
}

/**
 * A failed send. `retryable`: the provider did not take the message (429, 5xx, connection
 * refused) and it is safe to try again later. `ambiguous`: it may have been taken (a timeout
 * after the request went out), so it must never be resent blindly.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly kind: 'retryable' | 'permanent' | 'ambiguous',
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/** Twilio's opted-out error: the recipient replied STOP to our number. */
export const TWILIO_OPTED_OUT = '21610';
