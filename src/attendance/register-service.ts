import { sql, type CompiledQuery } from 'kysely';
import type { AttendanceStatus, Db, Session } from '../db/schema.js';
import { audit, auditQuery, type Actor } from '../audit/audit-service.js';
import { atomicWrites } from '../db/atomic.js';
import { conflict, invalid, unprocessable, type AppError } from '../lib/errors.js';
import { getSession } from '../sessions/sessions-service.js';

/** A register can be opened from the day before (to prepare it) until any time after. */
const EARLIEST_BEFORE_START_MS = 24 * 3_600_000;

export interface RegisterEntryInput {
  participantId: number;
  status: AttendanceStatus;
}

/** The enrolled list for a session (plus drop-ins already on it), each with any status recorded. */
export async function getRegister(db: Db, actor: Actor, now: number, sessionId: number) {
  const session = await getSession(db, actor.practiceId, sessionId);
  const rows = await sql<{
    participant_id: number;
    given_name: string | null;
    family_name: string | null;
    erased_at: number | null;
    enrolment_status: string | null;
    status: AttendanceStatus | null;
    drop_in: number | null;
    recorded_at: number | null;
    recorded_by: number | null;
    recorded_by_name: string | null;
  }>`
    SELECT p.id AS participant_id, p.given_name, p.family_name, p.erased_at, e.status AS enrolment_status,
           a.status, a.drop_in, a.recorded_at, a.recorded_by, u.name AS recorded_by_name
    FROM participants p
    LEFT JOIN enrolments e ON e.participant_id = p.id AND e.group_id = ${session.group_id}
    LEFT JOIN attendance a ON a.participant_id = p.id AND a.session_id = ${session.id}
    LEFT JOIN users u ON u.id = a.recorded_by
    WHERE p.practice_id = ${actor.practiceId}
      AND (a.session_id IS NOT NULL OR e.status = 'active')
    ORDER BY coalesce(a.drop_in, 0), lower(coalesce(p.given_name, '')), lower(coalesce(p.family_name, '')), p.id`.execute(db);
  await audit(db, actor, now, { action: 'register_read', entity: 'session', entityId: session.id, shown: rows.rows.map((r) => r.participant_id) });
  return { session, entries: rows.rows };
}

/**
 * Saves many statuses in one transaction. Saving the same thing twice changes nothing (who and
 * when stay those of the first save); people not on the group's list are recorded as drop-ins.
 */
/** Why a session's register cannot be taken now, or null: the page and the save share this rule. */
export function registerClosed(session: Pick<Session, 'status' | 'starts_at'>, now: number): AppError | null {
  if (session.status === 'cancelled') return conflict('This session was cancelled, so it has no register');
  if (session.starts_at - now > EARLIEST_BEFORE_START_MS) return unprocessable('This session is more than a day away; take its register on the day');
  return null;
}

export async function saveRegister(db: Db, actor: Actor, now: number, sessionId: number, entries: RegisterEntryInput[], headcount: number | undefined) {
  const ids = entries.map((e) => e.participantId);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0) throw invalid('Each participant can appear once in a register', [{ path: 'entries', message: `repeated participantId ${dupes[0]}` }]);
  const session = await getSession(db, actor.practiceId, sessionId);
  const closed = registerClosed(session, now);
  if (closed) throw closed;
  const writes: CompiledQuery[] = [];
  if (ids.length > 0) {
    const known = await db
      .selectFrom('participants')
      .leftJoin('enrolments as e', (j) => j.onRef('e.participant_id', '=', 'participants.id').on('e.group_id', '=', session.group_id))
      .select(['participants.id', 'participants.erased_at', 'e.status as enrolment_status'])
      .where('participants.practice_id', '=', actor.practiceId)
      .where('participants.id', 'in', ids)
      .execute();
    const byId = new Map(known.map((k) => [k.id, k]));
    const missing = ids.filter((id) => !byId.get(id) || byId.get(id)!.erased_at !== null);
    if (missing.length > 0) {
      throw invalid(
        'Some participants are not known in this practice',
        missing.map((id) => ({ path: 'entries', message: `unknown participantId ${id}` })),
      );
    }
    for (const e of entries) {
      const dropIn = byId.get(e.participantId)!.enrolment_status === 'active' ? 0 : 1;
      writes.push(
        db
          .insertInto('attendance')
          .values({
            session_id: session.id,
            participant_id: e.participantId,
            practice_id: actor.practiceId,
            status: e.status,
            drop_in: dropIn,
            recorded_by: actor.id,
            recorded_at: now,
          })
          .onConflict((oc) =>
            oc
              .columns(['session_id', 'participant_id'])
              .doUpdateSet({ status: e.status, recorded_by: actor.id, recorded_at: now })
              .where('attendance.status', '<>', e.status),
          )
          .compile(),
      );
    }
  }
  writes.push(
    db
      .updateTable('sessions')
      .set({
        // A session with a register is no longer "untouched": schedule edits must keep it.
        edited: 1,
        register_taken_at: now,
        register_taken_by: actor.id,
        ...(headcount !== undefined && { headcount }),
      })
      .where('id', '=', session.id)
      .compile(),
  );
  writes.push(auditQuery(db, actor, now, { action: 'register_write', entity: 'session', entityId: session.id, detail: `${entries.length} entries` }));
  // One transaction on SQLite, one batch on D1: a register is saved whole or not at all.
  await atomicWrites(db, writes);
  return getRegister(db, actor, now, sessionId);
}
