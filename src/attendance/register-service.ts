import { sql, type CompiledQuery } from 'kysely';
import type { AttendanceStatus, Db, NewAttendance, Session } from '../db/schema.js';
import { jsonRowChunks, statementRows } from '../db/chunks.js';
import { auditQuery, type Actor } from '../audit/audit-service.js';
import { atomicWrites } from '../db/atomic.js';
import { conflict, invalid, notFound, unprocessable, type AppError } from '../lib/errors.js';
import { getSession } from '../sessions/sessions-service.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time/time.js';
import { leadersGroups, peopleLeaderMayName } from '../leaders/leader-access.js';
import { createParticipant, dropInPerson } from '../participants/participants-service.js';
import { getRegister } from './register-reads.js';

export interface Caller extends Actor {
  /** A leader saves only their own groups' registers; a role-less caller (a script) is not one. */
  role?: string;
}

/** A register can be opened from the day before (to prepare it) until any time after. */
export const EARLIEST_BEFORE_START_MS = 24 * 3_600_000;

export interface RegisterEntryInput {
  participantId: number;
  /** null clears a mark (and takes a drop-in off the register). */
  status: AttendanceStatus | null;
  /** When the mark was taken (an offline mark sent later); the save's own time when absent. */
  recordedAt?: number;
  /** Marked as a drop-in on purpose: allowed even for someone who left the group. */
  dropIn?: boolean;
}

/** Someone who came and is not known yet: added by name as a drop-in, marked present. */
export interface NewPersonInput {
  givenName: string;
  familyName: string | null;
  recordedAt?: number;
}

/** What became of each entry, so a CLP syncing an offline register sees anything not applied, in words. */
export type EntryOutcome = 'saved' | 'cleared' | 'unchanged' | 'newer_kept' | 'refused';
export interface EntryResult {
  participantId: number;
  outcome: EntryOutcome;
  reason?: string;
}

/** A clock a few minutes fast on a phone is not a mark from the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

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

/** The times a mark may carry: from when the register opens (a day before the start) to the end of the session's own day. */
export function markWindow(session: Pick<Session, 'starts_at'>, zone: string): { from: number; to: number } {
  const dayEnd = startOfLocalDate(addDays(localDate(session.starts_at, zone), 1), zone);
  return { from: session.starts_at - EARLIEST_BEFORE_START_MS, to: dayEnd };
}

/**
 * Saves many marks in one transaction. A mark carries the time it was taken: an older one never
 * overwrites a newer one (an offline register synced late loses to a mark made since), and saving
 * the same thing twice changes nothing (who and when stay those of the first save). People not on
 * the group's list are recorded as drop-ins; someone who left the group, or whose details were
 * erased since, is refused per entry with the reason, and everything else is still saved.
 */
export async function saveRegister(
  db: Db,
  actor: Caller,
  now: number,
  sessionId: number,
  entries: RegisterEntryInput[],
  headcount: number | undefined,
  newPeople: NewPersonInput[] = [],
) {
  const { session, known } = await checkSave(db, actor, now, sessionId, entries, newPeople);
  const plan = planMarks(actor, now, session.id, entries, known);
  // Every check is behind us: the people new to the service are added now, then marked with the rest.
  for (const person of newPeople) {
    const created = await createParticipant(db, actor, now, dropInPerson(person.givenName, person.familyName));
    plan.marks.push(mark(actor, session.id, created.id, 'present', 1, person.recordedAt ?? now));
    plan.results.push({ participantId: created.id, outcome: 'saved' });
  }
  // One transaction on SQLite, one batch on D1: a register is saved whole or not at all.
  await atomicWrites(
    db,
    registerWrites(db, actor, now, session.id, plan, headcount, `${entries.length} entries${newPeople.length ? `, ${newPeople.length} new` : ''}`),
  );
  return { ...(await getRegister(db, actor, now, sessionId)), results: plan.results };
}

type KnownPerson = {
  id: number;
  erased_at: number | null;
  enrolment_status: string | null;
  status: AttendanceStatus | null;
  recorded_at: number | null;
  drop_in: number | null;
};

/**
 * Everything that can refuse a save, before anything is written: each person once, a session this
 * caller may mark and whose register is open, marks taken within its day, and only people this
 * caller may name in this practice.
 */
async function checkSave(db: Db, actor: Caller, now: number, sessionId: number, entries: RegisterEntryInput[], newPeople: NewPersonInput[]) {
  const ids = entries.map((e) => e.participantId);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0) throw invalid('Each participant can appear once in a register', [{ path: 'entries', message: `repeated participantId ${dupes[0]}` }]);
  const session = await getSession(db, actor.practiceId, sessionId);
  const led = await leadersGroups(db, actor);
  if (led && !led.has(session.group_id)) throw notFound('Session');
  const closed = registerClosed(session, now);
  if (closed) throw closed;
  const window = markWindow(session, actor.timezone);
  const latest = Math.min(window.to, now + CLOCK_SKEW_MS);
  const outOfDay = (at: number | undefined) => at !== undefined && (at < window.from || at > latest);
  const outside = [
    ...entries.filter((e) => outOfDay(e.recordedAt)).map((e) => `recordedAt of participantId ${e.participantId} is outside the session's day or in the future`),
    ...newPeople.filter((p) => outOfDay(p.recordedAt)).map((p) => `recordedAt of new person ${p.givenName} is outside the session's day or in the future`),
  ];
  if (outside.length > 0) {
    throw invalid(
      'A mark can only be taken between the day before the session and the end of its day, and not in the future',
      outside.map((message) => ({ path: 'entries', message })),
    );
  }
  const known = new Map<number, KnownPerson>();
  if (ids.length === 0) return { session, known };
  const rows = await db
    .selectFrom('participants')
    .leftJoin('enrolments as e', (j) => j.onRef('e.participant_id', '=', 'participants.id').on('e.group_id', '=', session.group_id))
    .leftJoin('attendance as a', (j) => j.onRef('a.participant_id', '=', 'participants.id').on('a.session_id', '=', session.id))
    .select(['participants.id', 'participants.erased_at', 'e.status as enrolment_status', 'a.status', 'a.recorded_at', 'a.drop_in'])
    .where('participants.practice_id', '=', actor.practiceId)
    .where('participants.id', 'in', ids)
    .execute();
  // A leader names only the people of the groups they lead: anyone else is as unknown as another practice's.
  const nameable = led ? await peopleLeaderMayName(db, led, ids) : null;
  for (const k of rows) if (!nameable || nameable.has(k.id)) known.set(k.id, k);
  const missing = ids.filter((id) => !known.get(id));
  if (missing.length > 0) {
    throw invalid(
      'Some participants are not known in this practice',
      missing.map((id) => ({ path: 'entries', message: `unknown participantId ${id}` })),
    );
  }
  return { session, known };
}

interface MarkPlan {
  /** Marks to write and to clear, each with the time it was taken: one statement each, however many (D1 counts statements). */
  marks: NewAttendance[];
  clears: [participantId: number, at: number][];
  results: EntryResult[];
}

const mark = (actor: Caller, sessionId: number, participantId: number, status: AttendanceStatus, dropIn: number, at: number): NewAttendance => ({
  session_id: sessionId,
  participant_id: participantId,
  practice_id: actor.practiceId,
  status,
  drop_in: dropIn,
  recorded_by: actor.id,
  recorded_at: at,
});

/** What each entry does to the register as it stands: a mark, a clear, or nothing (and why). */
function planMarks(actor: Caller, now: number, sessionId: number, entries: RegisterEntryInput[], known: Map<number, KnownPerson>): MarkPlan {
  const plan: MarkPlan = { marks: [], clears: [], results: [] };
  for (const e of entries) {
    const k = known.get(e.participantId)!;
    const at = e.recordedAt ?? now;
    const result = (outcome: EntryOutcome, reason?: string) => plan.results.push({ participantId: e.participantId, outcome, ...(reason && { reason }) });
    if (k.erased_at !== null) result('refused', 'their details were erased');
    else if (k.recorded_at !== null && at < k.recorded_at) result('newer_kept', 'a later mark was already saved');
    else if (e.status === null) {
      if (k.status === null) result('unchanged');
      else {
        plan.clears.push([e.participantId, at]);
        result('cleared');
      }
    } else if (k.status === null && k.enrolment_status === 'withdrawn' && !e.dropIn)
      result('refused', 'they have left the group; add them as a drop-in if they came');
    else if (k.status === e.status) result('unchanged');
    else {
      plan.marks.push(mark(actor, sessionId, e.participantId, e.status, k.drop_in ?? (k.enrolment_status === 'active' ? 0 : 1), at));
      result('saved');
    }
  }
  return plan;
}

/** The save as statements for one transaction (one D1 batch): clears, marks, the session's own record and the audit row. */
function registerWrites(db: Db, actor: Caller, now: number, sessionId: number, plan: MarkPlan, headcount: number | undefined, detail: string): CompiledQuery[] {
  const writes: CompiledQuery[] = [];
  if (plan.clears.length > 0) {
    // Checked again inside the write: a mark saved meanwhile is not cleared by an older one.
    writes.push(
      sql`DELETE FROM attendance WHERE session_id = ${sessionId} AND EXISTS (
        SELECT 1 FROM json_each(${JSON.stringify(plan.clears)}) c
        WHERE json_extract(c.value, '$[0]') = attendance.participant_id AND attendance.recorded_at <= json_extract(c.value, '$[1]'))`.compile(db),
    );
  }
  for (const chunk of jsonRowChunks(plan.marks, statementRows(db))) {
    writes.push(
      db
        .insertInto('attendance')
        .columns(chunk.columns)
        .expression(chunk.select)
        .onConflict((oc) =>
          oc
            .columns(['session_id', 'participant_id'])
            .doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              recorded_by: eb.ref('excluded.recorded_by'),
              recorded_at: eb.ref('excluded.recorded_at'),
            }))
            // Checked again inside the write: a mark saved meanwhile is not overwritten by an older one.
            .where((eb) =>
              eb.and([eb('attendance.status', '<>', eb.ref('excluded.status')), eb('attendance.recorded_at', '<=', eb.ref('excluded.recorded_at'))]),
            ),
        )
        .compile(),
    );
  }
  writes.push(
    db
      .updateTable('sessions')
      // A session with a register is no longer "untouched": schedule edits must keep it.
      .set({ edited: 1, register_taken_at: now, register_taken_by: actor.id, ...(headcount !== undefined && { headcount }) })
      .where('id', '=', sessionId)
      .compile(),
  );
  writes.push(auditQuery(db, actor, now, { action: 'register_write', entity: 'session', entityId: sessionId, detail }));
  return writes;
}
