import type { ProviderMessage, SmsTransport } from './transport.js';

/**
 * Without Twilio credentials: records what would have been sent, so the outbox and the UI work,
 * and marks every message as sent only locally (transport "local").
 */
export class LocalTransport implements SmsTransport {
  readonly name = 'local';
  readonly sent: { to: string; body: string; sid: string; at: number }[] = [];
  private n = 0;

  /** `now` is the app's clock, so tests that travel in time see the times they expect. */
  constructor(private readonly now: () => number = Date.now) {}

  async send(msg: { to: string; body: string }) {
    const sid = `LOCAL${String(++this.n).padStart(10, '0')}-${Date.now().toString(36)}`;
    this.sent.push({ to: msg.to, body: msg.body, sid, at: this.now() });
    return { sid, status: 'not sent (local)' };
  }

  async findSent(query: { to: string; since: number }): Promise<ProviderMessage[]> {
    return this.sent.filter((m) => m.to === query.to).map((m) => ({ sid: m.sid, to: m.to, body: m.body, status: 'sent', createdAt: m.at }));
  }
}
