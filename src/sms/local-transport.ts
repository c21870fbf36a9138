import type { SmsTransport } from './transport.js';

/**
 * Without Twilio credentials: records what would have been sent, so the outbox and the UI work,
 * and marks every message as sent only locally (transport "local").
 */
export class LocalTransport implements SmsTransport {
  readonly name = 'local';
  readonly sent: { to: string; body: string }[] = [];
  private n = 0;

  async send(msg: { to: string; body: string }) {
    this.sent.push({ to: msg.to, body: msg.body });
    return { sid: `LOCAL${String(++this.n).padStart(10, '0')}-${Date.now().toString(36)}`, status: 'not sent (local)' };
  }
}
