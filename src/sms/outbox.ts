import type { DbOrTx, MessageKind, NewMessage } from '../db/schema.js';
import { paramChunks } from '../db/chunks.js';
import { formatWhen, sessionContext, whyNotSendable } from './message-context.js';
import { renderTemplate, type Templates } from './templates.js';

/**
 * Puts texts in the outbox; a row whose dedupe_key exists already is left as it is, so any
 * caller may run again safely. People who cannot be texted get a `skipped` row with the reason,
 * so the CLP can see who still needs a phone call.
 */
export async function insertMessages(db: DbOrTx, rows: NewMessage[]): Promise<number> {
  let inserted = 0;
  for (const chunk of paramChunks(rows)) {
    const res = await db
      .insertInto('messages')
      .values(chunk)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    inserted += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

interface Recipient {
  id: number;
  given_name: string | null;
  phone: string | null;
  sms_consent: number;
  do_not_text: number;
  opted_out_at: number | null;
  erased_at: number | null;
}

function recipientsOfGroup(db: DbOrTx, groupId: number) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('participants as p', 'p.id', 'e.participant_id')
    .select(['p.id', 'p.given_name', 'p.phone', 'p.sms_consent', 'p.do_not_text', 'p.opted_out_at', 'p.erased_at'])
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

function row(kind: MessageKind, key: string, p: Recipient, practiceId: number, body: string, now: number, extra: Partial<NewMessage>): NewMessage {
  const reason = whyNotSendable(p);
  return outboundMessage(now, {
    practice_id: practiceId,
    kind,
    dedupe_key: key,
    participant_id: p.id,
    to_number: p.phone,
    body,
    status: reason ? 'skipped' : 'pending',
    status_reason: reason,
    ...extra,
  });
}

/** Tells everyone enrolled that a session was cancelled or moved (one text per change, by SEQUENCE). */
export async function queueSessionNotice(
  db: DbOrTx,
  templates: Templates,
  kind: 'cancellation' | 'moved',
  sessionId: number,
  now: number,
  opts: { reason?: string; userId?: number } = {},
): Promise<number> {
  const ctx = await sessionContext(db, sessionId);
  if (!ctx || ctx.starts_at <= now) return 0;
  const seq = (await db.selectFrom('sessions').select('sequence').where('id', '=', sessionId).executeTakeFirstOrThrow()).sequence;
  const people = await recipientsOfGroup(db, ctx.group_id);
  const rows = people.map((p) =>
    row(
      kind,
      `${kind}:${sessionId}:${p.id}:${seq}`,
      p,
      ctx.practice_id,
      renderTemplate(templates[kind], {
        givenName: p.given_name ?? '',
        groupLabel: ctx.group_label,
        when: formatWhen(ctx.starts_at, ctx.timezone),
        place: ctx.venue_name,
        reason: opts.reason ?? 'sorry for the short notice',
        practiceName: ctx.practice_name,
      }),
      now,
      { session_id: sessionId, group_id: ctx.group_id, created_by: opts.userId ?? null, expires_at: ctx.starts_at },
    ),
  );
  if (kind === 'cancellation') {
    await db
      .updateTable('messages')
      .set({ status: 'skipped', status_reason: 'session_cancelled', updated_at: now })
      .where('session_id', '=', sessionId)
      .where('kind', '=', 'reminder')
      .where('status', '=', 'pending')
      .execute();
  }
  return insertMessages(db, rows);
}

/** An ad-hoc text from a CLP to everyone enrolled in a session's group. */
export async function queueAdhoc(db: DbOrTx, templates: Templates, sessionId: number, message: string, batchKey: string, now: number, userId: number) {
  const ctx = await sessionContext(db, sessionId);
  if (!ctx) return { queued: 0, skipped: 0 };
  const body = renderTemplate(templates.adhoc, { message, practiceName: ctx.practice_name });
  const rows = (await recipientsOfGroup(db, ctx.group_id)).map((p) =>
    row('adhoc', `adhoc:${batchKey}:${p.id}`, p, ctx.practice_id, body, now, { session_id: sessionId, group_id: ctx.group_id, created_by: userId }),
  );
  await insertMessages(db, rows);
  return { queued: rows.filter((r) => r.status === 'pending').length, skipped: rows.filter((r) => r.status === 'skipped').length };
}

export function adhocPreview(templates: Templates, message: string, practiceName: string) {
  return renderTemplate(templates.adhoc, { message, practiceName });
}

/** Confirms by SMS that apologies from a "C" reply were recorded. */
export async function queueApologiesConfirmed(db: DbOrTx, templates: Templates, sessionId: number, p: Recipient, now: number) {
  const ctx = await sessionContext(db, sessionId);
  if (!ctx) return;
  const body = renderTemplate(templates.apologies_confirmed, {
    givenName: p.given_name ?? '',
    when: formatWhen(ctx.starts_at, ctx.timezone),
    practiceName: ctx.practice_name,
  });
  await insertMessages(db, [
    row('apologies_confirmed', `apologies:${sessionId}:${p.id}`, p, ctx.practice_id, body, now, { session_id: sessionId, group_id: ctx.group_id }),
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
