import twilio from 'twilio';
import { TwilioAccountLog } from './twilio-log.js';
import { SmsSendError, type OutgoingSms, type SmsTransport } from './transport.js';
import { senderParams, type TwilioConfig } from './twilio-config.js';

export type { TwilioConfig } from './twilio-config.js';

const RETRYABLE_NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends through the twilio SDK. A small httpClient wrapper turns 429 / 5xx into retryable errors
 * with Retry-After (the SDK's RestException drops headers); connection refused is retryable,
 * a timeout or reset after the request went out is ambiguous and never retried blindly.
 */
export class TwilioTransport extends TwilioAccountLog implements SmsTransport {
  readonly name = 'twilio';
  private readonly client: ReturnType<typeof twilio>;

  constructor(cfg: TwilioConfig) {
    super(cfg);
    // No keep-alive: a reset on a stale pooled socket is indistinguishable from a lost answer, and would
    // turn a harmless retry into an 'unknown' message a CLP has to chase by hand.
    const inner = new twilio.RequestClient({ timeout: cfg.timeoutMs ?? 15_000, keepAlive: false });
    const httpClient = {
      async request(opts: Parameters<typeof inner.request>[0]) {
        const res = await inner.request(opts);
        if (res.statusCode === 429 || res.statusCode >= 500 || res.statusCode === 401) {
          const retryAfter = Number(res.headers?.['retry-after']);
          const body = (typeof res.body === 'string' ? safeJson(res.body) : res.body) as { message?: string; code?: number } | null;
          throw new SmsSendError(
            `Twilio answered ${res.statusCode}${body?.message ? `: ${body.message}` : ''}`,
            'retryable',
            body?.code ? String(body.code) : String(res.statusCode),
            Number.isFinite(retryAfter) ? retryAfter : undefined,
          );
        }
        return res;
      },
    };
    this.client = twilio(cfg.accountSid, cfg.authToken, { httpClient: httpClient as never });
    if (cfg.apiBaseUrl) this.client.api.baseUrl = cfg.apiBaseUrl.replace(/\/+$/, '');
    // The SDK loads its Messages API on first use, holding the thread ~45 ms: at start-up, not
    // in the middle of the first morning's sending (the national bench's peak held 41 ms for it).
    void this.client.messages;
  }

  async send(msg: OutgoingSms) {
    try {
      const m = await this.client.messages.create({
        to: msg.to,
        body: msg.body,
        ...senderParams(this.cfg, msg),
        ...(msg.statusCallback && { statusCallback: msg.statusCallback }),
      });
      return { sid: m.sid, status: m.status };
    } catch (err) {
      throw classify(err);
    }
  }
}

function safeJson(text: string): { message?: string; code?: number } | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function classify(err: unknown): SmsSendError {
  if (err instanceof SmsSendError) return err;
  const e = err as { status?: number; code?: string | number; message?: string };
  if (typeof e.status === 'number') {
    // A Twilio error body for a 4xx: the message will never be accepted as it is.
    return new SmsSendError(e.message ?? `Twilio answered ${e.status}`, 'permanent', e.code !== undefined ? String(e.code) : String(e.status));
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && RETRYABLE_NETWORK.has(code)) return new SmsSendError(`Could not reach Twilio (${code})`, 'retryable', code);
  return new SmsSendError(`Twilio request ended without an answer (${code ?? e.message ?? 'unknown'})`, 'ambiguous', code);
}
