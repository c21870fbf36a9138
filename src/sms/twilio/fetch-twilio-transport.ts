import { TwilioAccountLog } from './twilio-log.js';
import { SmsSendError, type OutgoingSms, type SmsTransport } from './transport.js';
import { senderParams } from './twilio-config.js';

/**
 * Twilio's Messages API over fetch, for Workers (the twilio SDK needs Node's http stack).
 * Same error classes as the SDK transport: 429/5xx/401 and network failures before an answer
 * are retryable, 4xx are permanent, an abort after sending is ambiguous.
 */
export class FetchTwilioTransport extends TwilioAccountLog implements SmsTransport {
  readonly name = 'twilio';

  async send(msg: OutgoingSms) {
    const base = (this.cfg.apiBaseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
    const form = new URLSearchParams({ To: msg.to, Body: msg.body });
    const sender = senderParams(this.cfg, msg);
    if ('messagingServiceSid' in sender) form.set('MessagingServiceSid', sender.messagingServiceSid);
    else form.set('From', sender.from);
    if (msg.statusCallback) form.set('StatusCallback', msg.statusCallback);
    let res: Response;
    try {
      res = await fetch(`${base}/2010-04-01/Accounts/${this.cfg.accountSid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa(`${this.cfg.accountSid}:${this.cfg.authToken}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.cfg.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: { code?: string } };
      const code = e.cause?.code;
      if (code === 'ECONNREFUSED' || /connection refused|network connection lost before/i.test(e.message ?? '')) {
        return Promise.reject(new SmsSendError(`Could not reach Twilio (${code ?? e.message})`, 'retryable', code ?? 'network'));
      }
      return Promise.reject(new SmsSendError(`Twilio request ended without an answer (${e.name ?? code ?? 'error'})`, 'ambiguous', code));
    }
    const body = (await res.json().catch(() => ({}))) as { sid?: string; status?: string; code?: number; message?: string };
    if (res.ok && body.sid) return { sid: body.sid, status: body.status ?? 'queued' };
    const code = body.code !== undefined ? String(body.code) : String(res.status);
    if (res.status === 429 || res.status >= 500 || res.status === 401) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new SmsSendError(
        `Twilio answered ${res.status}${body.message ? `: ${body.message}` : ''}`,
        'retryable',
        code,
        Number.isFinite(retryAfter) ? retryAfter : undefined,
      );
    }
    throw new SmsSendError(body.message ?? `Twilio answered ${res.status}`, 'permanent', code);
  }
}
