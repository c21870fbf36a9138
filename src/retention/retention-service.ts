import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { allowance, inTurn } from '../db/query-budget.js';
import { yielder } from '../lib/yielder.js';
import type { Db } from '../db/schema.js';
import type { Actor } from '../audit/audit-service.js';
import { conflict } from '../lib/errors.js';
import { eraseParticipant } from '../participants/gdpr-service.js';

/**
 * Blanks the words of texts older than each practice's retention period; who was texted, when
 * and whether it arrived stay for the evidence. Texts still to go are never touched.
 */
export async function blankOldTexts(db: Db, now: number, share = allowance()): Promise<number> {
  let blanked = 0;
  if (!share.has(2)) return 0;
  const practices = await db.selectFrom('practices').select(['id', 'timezone', 'retention_text_months']).orderBy('id').execute();
  const breather = yielder();
  for (const p of inTurn(practices, now)) {
    if (!share.has(1)) break;
    // A practice at a time, letting requests in between: 100 of them held the thread 50 ms.
    await breather();
    const cutoff = DateTime.fromMillis(now, { zone: p.timezone }).minus({ months: p.retention_text_months }).toMillis();
    const res = await db
      .updateTable('messages')
      .set({ body: '', body_blanked_at: now, updated_at: now })
      .where('practice_id', '=', p.id)
      .where('body_blanked_at', 'is', null)
      // A text is sent after it is made: created_at bounds the search by index, sent_at decides.
      .where('created_at', '<', cutoff)
      .where('status', 'not in', ['pending', 'sending'])
      .where((eb) => eb(eb.fn.coalesce('sent_at', 'created_at'), '<', cutoff))
      .executeTakeFirst();
    blanked += Number(res.numUpdatedRows);
  }
  return blanked;
}

export interface InactivePerson {
  participant_id: number;
  given_name: string | null;
  family_name: string | null;
  last_activity: number;
}

/**
 * People with nothing happening for the practice's inactivity period: no place or waitlist place,
 * no mark, measure, text or change since, and no concern about them still open. Listed for an admin to erase; never erased by themselves.
 */
export async function inactiveParticipants(db: Db, practiceId: number, now: number): Promise<InactivePerson[]> {
  const p = await db.selectFrom('practices').select(['timezone', 'retention_inactive_months']).where('id', '=', practiceId).executeTakeFirstOrThrow();
  const cutoff = DateTime.fromMillis(now, { zone: p.timezone }).minus({ months: p.retention_inactive_months }).toMillis();
  const rows = await sql<InactivePerson>`
    SELECT * FROM (
      SELECT p.id AS participant_id, p.given_name, p.family_name,
        max(p.created_at, p.updated_at,
          coalesce((SELECT max(a.recorded_at) FROM attendance a WHERE a.participant_id = p.id), 0),
          coalesce((SELECT max(max(e.requested_at, coalesce(e.enrolled_at, 0), coalesce(e.withdrawn_at, 0))) FROM enrolments e WHERE e.participant_id = p.id), 0),
          coalesce((SELECT max(o.created_at) FROM outcomes o WHERE o.participant_id = p.id), 0),
          coalesce((SELECT max(m.created_at) FROM messages m WHERE m.participant_id = p.id), 0)) AS last_activity
      FROM participants p
      WHERE p.practice_id = ${practiceId} AND p.erased_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.participant_id = p.id AND e.status IN ('active', 'waitlisted'))
        -- Someone a concern is still open about is not "inactive": a CLP is acting on it.
        AND NOT EXISTS (SELECT 1 FROM concerns k WHERE k.participant_id = p.id AND k.status != 'closed')
    ) WHERE last_activity < ${cutoff}
    ORDER BY last_activity`.execute(db);
  return rows.rows.map((r) => ({ ...r, last_activity: Number(r.last_activity) }));
}

/** Erases the people an admin confirmed, each only if still inactive: anonymous counts stay for the reports. */
export async function eraseInactive(db: Db, actor: Actor, now: number, ids: number[]): Promise<{ erased: number }> {
  const still = new Set((await inactiveParticipants(db, actor.practiceId, now)).map((p) => p.participant_id));
  const changed = ids.filter((id) => !still.has(id));
  if (changed.length > 0) throw conflict('Some of these people are no longer inactive (or were erased already): reload the list', { participantIds: changed });
  for (const id of ids) await eraseParticipant(db, actor, now, id);
  return { erased: ids.length };
}

/** How many of the practice's audit events are in the archive. */
export async function archivedEventCount(db: Db, practiceId: number): Promise<number> {
  const r = await db
    .selectFrom('audit_archives')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('events'), eb.val(0)).as('events'))
    .where('practice_id', '=', practiceId)
    .executeTakeFirstOrThrow();
  return Number(r.events);
}
