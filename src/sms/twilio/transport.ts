/** What the dispatcher needs from an SMS provider; Twilio (SDK or fetch) and the local recorder implement it. */
export interface SmsTransport {
  readonly name: string;
  send(msg: OutgoingSms): Promise<{ sid: string; status: string }>;
  /**
   * The provider's own log of texts to a number since a moment (Twilio's Messages list), so a send
   * interrupted by a crash can be settled by what the provider actually took.
   */
  findSent?(query: { to: string; since: number }): Promise<ProviderMessage[]>;
  /** The account's newest texts since a moment, to every number: whether a database put back is behind. */
  recentSent?(query: { since: number; pageSize: number }): Promise<ProviderMessage[]>;
  /** The server's own sender, when configured: texts from it (or from a practice's) are ours. */
  readonly defaultSender?: Sender;
}

export interface OutgoingSms {
  to: string;
  body: string;
  statusCallback?: string;
  /** The practice's own sender, when it has one; otherwise the server's default. */
  sender?: Sender;
}

export interface Sender {
  from: string | null;
  messagingServiceSid: string | null;
}

export interface ProviderMessage {
  sid: string;
  to: string;
  body: string;
  status: string;
  /** When the provider created it (ms). */
  createdAt: number;
  from?: string | null;
  messagingServiceSid?: string | null;
  /** Twilio's `inbound`, `outbound-api`, `outbound-reply`…; absent where the provider does not say. */
  direction?: string;
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
