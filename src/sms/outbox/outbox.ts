import type { DbOrTx, MessageKind, NewMessage } from '../../db/schema.js';
import { jsonRowChunks, statementRows } from '../../db/chunks.js';
import {
  adhocText,
  helpText,
  sessionContext,
  sessionText,
  skipReasonWords,
  toldItWasOff,
  whyNotSendable,
  type Addressee,
  type SessionFacts,
  type TextablePerson,
  type Wording,
} from '../wording/message-context.js';
import { practiceTemplates } from '../wording/practice-templates.js';
import { nextSessionOf } from './compose.js';
import type { TemplateLibrary } from '../wording/templates.js';

/**
 * Puts texts in the outbox; a row whose dedupe_key exists already is left as it is, so any
 * caller may run again safely. People who cannot be texted get a `skipped` row with the reason,
 * so the CLP can see who still needs a phone call.
 */
export async function insertMessages(db: DbOrTx, rows: NewMessage[]): Promise<number> {
  let inserted = 0;
  for (const chunk of jsonRowChunks(rows, statementRows(db))) {
    const res = await db
      .insertInto('messages')
      .columns(chunk.columns)
      .expression(chunk.select)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    inserted += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

interface Recipient extends TextablePerson, Addressee {
  id: number;
  family_name?: string | null;
}

/** What deciding whether someone may be texted, and wording their text, needs of them. */
const RECIPIENT_COLUMNS = [
  'p.id',
  'p.given_name',
  'p.family_name',
  'p.preferred_language',
  'p.phone',
  'p.phone_status',
  'p.sms_consent',
  'p.do_not_text',
  'p.opted_out_at',
  'p.erased_at',
] as const;

function recipientsOfGroup(db: DbOrTx, groupId: number) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('participants as p', 'p.id', 'e.participant_id')
    .select(RECIPIENT_COLUMNS)
    .where('e.group_id', '=', groupId)
    .where('e.status', '=', 'active')
    .execute();
}

type OutboundFields = Pick<NewMessage, 'practice_id' | 'kind' | 'dedupe_key' | 'participant_id' | 'to_number' | 'body'> & Partial<NewMessage>;

/** A new outbound text, due now unless said otherwise, with every column the table has. */
export function outboundMessage(now: number, fields: OutboundFields): NewMessage {
  return {
    direction: 'outbound',
    status: 'pending',
    status_reason: null,
    due_at: now,
    created_at: now,
    updated_at: now,
    session_id: null,
    group_id: null,
    from_number: null,
    expires_at: null,
    lease_until: null,
    transport: null,
    provider_sid: null,
    error_code: null,
    sent_at: null,
    delivered_at: null,
    created_by: null,
    read_at: null,
    ...fields,
  };
}

function row(kind: MessageKind, key: string, p: Recipient, practiceId: number, wording: Wording, now: number, extra: Partial<NewMessage>): NewMessage {
  const reason = whyNotSendable(p);
  return outboundMessage(now, {
    practice_id: practiceId,
    kind,
    dedupe_key: key,
    participant_id: p.id,
    to_number: p.phone,
    ...wording,
    status: reason ? 'skipped' : 'pending',
    status_reason: reason,
    ...extra,
  });
}

/**
 * Pending reminders made for an earlier version of a session (before it was cancelled, moved or
 * restored) are retired at once, so the outbox shows what will really go; the dispatcher checks again.
 */
export async function retireStaleReminders(db: DbOrTx, sessionId: number, now: number): Promise<void> {
  const s = await db.selectFrom('sessions').select(['sequence', 'status']).where('id', '=', sessionId).executeTakeFirst();
  if (!s) return;
  await db
    .updateTable('messages')
    .set({ status: 'skipped', status_reason: s.status === 'cancelled' ? 'session_cancelled' : 'session_changed', updated_at: now })
    .where('session_id', '=', sessionId)
    .where('kind', '=', 'reminder')
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('about_sequence', 'is', null), eb('about_sequence', '!=', s.sequence)]))
    .execute();
}

export type SessionNoticeKind = 'cancellation' | 'moved' | 'back_on';

/**
 * Tells everyone enrolled that a session was cancelled, moved or is back on: one text per change
 * (keyed by the session's SEQUENCE). The words are rendered again when it is sent.
 */
export async function queueSessionNotice(
  db: DbOrTx,
  templates: TemplateLibrary,
  kind: SessionNoticeKind,
  sessionId: number,
  now: number,
  opts: { userId?: number; silent?: boolean } = {},
): Promise<Queued> {
  await retireStaleReminders(db, sessionId, now);
  const none = { queued: 0, skipped: 0 };
  if (opts.silent) return none;
  const ctx = await sessionContext(db, sessionId);
  if (!ctx || ctx.starts_at <= now) return none;
  const people = await recipientsOfGroup(db, ctx.group_id);
  const t = await practiceTemplates(db, templates, ctx.practice_id);
  const told = kind === 'back_on' ? await toldItWasOff(db, sessionId) : undefined;
  const rows = people.map((p) => {
    const r = row(kind, `${kind}:${sessionId}:${p.id}:${ctx.sequence}`, p, ctx.practice_id, sessionText(t, kind, ctx, p), now, {
      session_id: sessionId,
      group_id: ctx.group_id,
      created_by: opts.userId ?? null,
      expires_at: ctx.starts_at,
      about_sequence: ctx.sequence,
    });
    return told && !told.has(p.id) && r.status === 'pending' ? { ...r, status: 'skipped' as const, status_reason: 'never_told_off' } : r;
  });
  return countQueued(rows, await insertMessages(db, rows));
}

/** Texts that will go, and people who cannot be texted: a retry that inserted nothing queued nothing. */
function countQueued(rows: NewMessage[], inserted: number): Queued {
  if (inserted === 0) return { queued: 0, skipped: 0 };
  return { queued: rows.filter((r) => r.status === 'pending').length, skipped: rows.filter((r) => r.status === 'skipped').length };
}

export interface Queued {
  queued: number;
  skipped: number;
}

/** What a confirmation page shows before anything is sent: each text as it would go, and who cannot get one and why. */
export interface TextPreview {
  /** `shape` is the text with the person's name left as NAME_MARK: the same shape is the same text to different people. */
  send: { id: number; name: string; body: string; shape: string; inEnglish: boolean }[];
  cannot: { id: number; name: string; reason: string }[];
}

/** Where a person's own name stands in a text's shape. */
export const NAME_MARK = '\u0000name\u0000';

/** A recipient as a check page names them. */
const shownName = (p: Recipient) =>
  p.erased_at !== null ? 'A person whose details were erased' : [p.given_name, p.family_name].filter(Boolean).join(' ') || 'Someone without a name';

function preview(people: Recipient[], wordingOf: (p: Recipient) => Wording, told?: Set<number>): TextPreview {
  const out: TextPreview = { send: [], cannot: [] };
  for (const p of people) {
    const name = shownName(p);
    const reason = whyNotSendable(p) ?? (told && !told.has(p.id) ? 'never_told_off' : null);
    if (reason) out.cannot.push({ id: p.id, name, reason: skipReasonWords(reason)! });
    else {
      const w = wordingOf(p);
      const shape = wordingOf({ ...p, given_name: NAME_MARK }).body;
      out.send.push({ id: p.id, name, body: w.body, shape, inEnglish: w.fell_back_to_english === 1 });
    }
  }
  return out;
}

/**
 * The texts queueSessionNotice would queue if the session changed as `change` says (a new reason,
 * time or place), from the same recipients and words, for a page to show before the change is made.
 */
export async function previewSessionNotice(
  db: DbOrTx,
  templates: TemplateLibrary,
  kind: SessionNoticeKind,
  sessionId: number,
  change: Partial<SessionFacts> = {},
): Promise<TextPreview> {
  const ctx = await sessionContext(db, sessionId);
  if (!ctx) return { send: [], cannot: [] };
  const t = await practiceTemplates(db, templates, ctx.practice_id);
  const facts = { ...ctx, ...change };
  const told = kind === 'back_on' ? await toldItWasOff(db, sessionId) : undefined;
  return preview(await recipientsOfGroup(db, ctx.group_id), (p) => sessionText(t, kind, facts, p), told);
}

/**
 * The offer of a place each of `participantIds` would get (the planner sends it with the group's
 * next session), for the page that asks before a withdrawal gives their place away.
 */
export async function previewOffers(db: DbOrTx, templates: TemplateLibrary, groupId: number, participantIds: number[], now: number): Promise<TextPreview> {
  if (participantIds.length === 0) return { send: [], cannot: [] };
  const people = await db.selectFrom('participants as p').select(RECIPIENT_COLUMNS).where('p.id', 'in', participantIds).execute();
  const next = await nextSessionOf(db, groupId, now);
  const ctx = next !== undefined ? await sessionContext(db, next) : undefined;
  if (!ctx)
    return {
      send: [],
      cannot: people.map((p) => ({ id: p.id, name: shownName(p), reason: skipReasonWords('no_upcoming_session')! })),
    };
  const t = await practiceTemplates(db, templates, ctx.practice_id);
  return preview(people, (p) => sessionText(t, 'waitlist_offer', ctx, p));
}

/** The same for a CLP's own words to everyone in a session's group. */
export async function previewAdhoc(db: DbOrTx, templates: TemplateLibrary, sessionId: number, message: string): Promise<TextPreview> {
  const ctx = await sessionContext(db, sessionId);
  if (!ctx) return { send: [], cannot: [] };
  const wording = adhocText(await practiceTemplates(db, templates, ctx.practice_id), message, ctx.practice_name);
  return preview(await recipientsOfGroup(db, ctx.group_id), () => wording);
}

/** An ad-hoc text from a CLP to everyone enrolled in a session's group. */
export async function queueAdhoc(db: DbOrTx, templates: TemplateLibrary, sessionId: number, message: string, batchKey: string, now: number, userId: number) {
  const ctx = await sessionContext(db, sessionId);
  if (!ctx) return { queued: 0, skipped: 0 };
  const wording = adhocText(await practiceTemplates(db, templates, ctx.practice_id), message, ctx.practice_name);
  const rows = (await recipientsOfGroup(db, ctx.group_id)).map((p) =>
    row('adhoc', `adhoc:${batchKey}:${p.id}`, p, ctx.practice_id, wording, now, { session_id: sessionId, group_id: ctx.group_id, created_by: userId }),
  );
  return countQueued(rows, await insertMessages(db, rows));
}

/**
 * Answers a HELP reply (Twilio's SID keys it, so a retried webhook answers once), worth sending for
 * a day, with the practice's own number, or the one the person texted when it has none.
 */
export async function queueHelpAnswer(
  db: DbOrTx,
  templates: TemplateLibrary,
  p: Recipient & { practice_id: number },
  textedNumber: string,
  sid: string,
  now: number,
) {
  const practice = await db.selectFrom('practices').select(['name', 'sms_from']).where('id', '=', p.practice_id).executeTakeFirstOrThrow();
  const wording = helpText(await practiceTemplates(db, templates, p.practice_id), p, practice.name, practice.sms_from ?? textedNumber);
  await insertMessages(db, [row('help', `help:${sid}:${p.id}`, p, p.practice_id, wording, now, { expires_at: now + 86_400_000 })]);
}

/** Confirms by SMS that apologies from a "C" reply were recorded, naming the session by its label and day. */
export async function queueApologiesConfirmed(db: DbOrTx, templates: TemplateLibrary, sessionId: number, p: Recipient, now: number) {
  const ctx = await sessionContext(db, sessionId);
  if (!ctx) return;
  const wording = sessionText(await practiceTemplates(db, templates, ctx.practice_id), 'apologies_confirmed', ctx, p);
  await insertMessages(db, [
    row('apologies_confirmed', `apologies:${sessionId}:${p.id}`, p, ctx.practice_id, wording, now, {
      session_id: sessionId,
      group_id: ctx.group_id,
      expires_at: ctx.starts_at,
      about_sequence: ctx.sequence,
    }),
  ]);
  await db
    .updateTable('messages')
    .set({ status: 'skipped', status_reason: 'apologies_given', updated_at: now })
    .where('session_id', '=', sessionId)
    .where('participant_id', '=', p.id)
    .where('kind', '=', 'reminder')
    .where('status', '=', 'pending')
    .execute();
}
