import { DateTime } from 'luxon';
import type { Message } from '../../db/schema.js';
import { primarySubtag, textLanguage } from '../wording/languages.js';
import { skipReasonWords } from '../wording/message-context.js';
import { twilioErrorWords } from '../twilio/number-state.js';

/** When a text went (or is due to go), in the practice's zone. */
export function textWhen(m: Pick<Message, 'status' | 'due_at' | 'sent_at' | 'created_at'>, zone: string): string {
  const at = (ms: number) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('d LLL yyyy, HH:mm');
  return m.status === 'pending' ? `due ${at(m.due_at)}` : at(m.sent_at ?? m.created_at);
}

/** A text's status in words, saying plainly when it was only recorded and never sent. */
export function textStatus(m: Pick<Message, 'direction' | 'status' | 'status_reason' | 'transport' | 'error_code'>): string {
  if (m.direction === 'inbound') return m.status_reason ?? 'For you to read';
  if (m.transport === 'local') return `${m.status} (recorded only: not sent)`;
  // Twilio's code in words ("the number is not in use"), not a number the CLP must look up.
  if ((m.status === 'failed' || m.status === 'undelivered') && m.error_code) return `${m.status}: ${twilioErrorWords(m.error_code)}`;
  return m.status_reason ? `${m.status}: ${skipReasonWords(m.status_reason)}` : m.status;
}

/** Which language a text went in, and, when it fell back to English, that it did and why. */
export function textLanguageNote(m: Pick<Message, 'direction' | 'language' | 'fell_back_to_english'>, preferred: string | null): string | null {
  if (m.direction === 'inbound') return null;
  if (m.fell_back_to_english) return `In English: no wording in ${textLanguage(primarySubtag(preferred ?? ''))?.english ?? preferred ?? 'their language'} yet`;
  if (m.language && m.language !== 'en') return `In ${textLanguage(m.language)?.english ?? m.language}`;
  return null;
}

/** A text as it went, in its own script and direction, with the language it was written in. */
export function TextBody(p: { m: Pick<Message, 'direction' | 'body' | 'language' | 'fell_back_to_english'>; preferred: string | null }) {
  const note = textLanguageNote(p.m, p.preferred);
  return (
    <>
      <span lang={p.m.language ?? undefined} dir="auto">
        {p.m.body}
      </span>
      {note && <span class={p.m.fell_back_to_english ? 'warning-note' : 'muted'}> ({note})</span>}
    </>
  );
}
