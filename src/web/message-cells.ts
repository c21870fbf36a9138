import { DateTime } from 'luxon';
import type { Message } from '../db/schema.js';
import { skipReasonWords } from '../sms/message-context.js';

/** When a text went (or is due to go), in the practice's zone. */
export function textWhen(m: Pick<Message, 'status' | 'due_at' | 'sent_at' | 'created_at'>, zone: string): string {
  const at = (ms: number) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('d LLL yyyy, HH:mm');
  return m.status === 'pending' ? `due ${at(m.due_at)}` : at(m.sent_at ?? m.created_at);
}

/** A text's status in words, saying plainly when it was only recorded and never sent. */
export function textStatus(m: Pick<Message, 'direction' | 'status' | 'status_reason' | 'transport'>): string {
  if (m.direction === 'inbound') return m.status_reason ?? 'For you to read';
  if (m.transport === 'local') return `${m.status} (recorded only: not sent)`;
  return m.status_reason ? `${m.status}: ${skipReasonWords(m.status_reason)}` : m.status;
}
