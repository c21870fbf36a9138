import { turn } from '../lib/yielder.js';
import { jsonIds } from '../db/json-table.js';
import { sql } from 'kysely';
import type { DbOrTx, Group, NewSession, Session } from '../db/schema.js';
import { occurrencesBetween, type Occurrence, type Schedule, type Weekday } from '../groups/recurrence.js';
import { addDays, localDate } from '../lib/time/time.js';
import { jsonRowChunks, statementRows } from '../db/chunks.js';
import { allowance } from '../db/query-budget.js';
import { atomic } from '../db/atomic.js';

export const CLOSURE_REASON = 'Practice closed';

/**
 * The queries syncGroupSessions makes, however many sessions change (up to a thousand of each
 * kind): closures, sessions, one delete, one update, one insert and the group's horizon.
 */
export const SYNC_QUERIES = 6;

export function scheduleOf(g: Group): Schedule {
  return {
    frequency: g.frequency,
    weekdays: g.weekdays.split(',') as Weekday[],
    weekOfMonth: g.week_of_month,
    startTime: g.start_time,
    durationMinutes: g.duration_minutes,
    startDate: g.start_date,
    until: g.until_date,
    count: g.occurrence_count,
  };
}

/**
 * Brings a group's future sessions in line with its schedule, venue, status and the practice's
 * closures, up to the horizon. Sessions a person has cancelled or moved, and anything already
 * started, are left alone; untouched ones keep their id (and so their calendar UID) when only
 * their time changes, and their SEQUENCE goes up.
 */
export async function syncGroupSessions(db: DbOrTx, group: Group, zone: string, nowMs: number, horizonDays: number): Promise<void> {
  const today = localDate(nowMs, zone);
  const horizon = addDays(today, horizonDays);
  const closures = new Map(
    (await db.selectFrom('closures').select(['date', 'reason']).where('practice_id', '=', group.practice_id).where('date', '>=', today).execute()).map(
      (c) => [c.date, c.reason] as const,
    ),
  );
  const wanted = group.status === 'active' ? occurrencesBetween(scheduleOf(group), zone, today, horizon).filter((o) => o.startsAt > nowMs) : [];
  const wantedByDate = new Map(wanted.map((o) => [o.date, o]));
  const existing = await db.selectFrom('sessions').selectAll().where('group_id', '=', group.id).where('occurrence_date', '>=', addDays(today, -1)).execute();
  const existingDates = new Set(existing.map((s) => s.occurrence_date));

  const gone: number[] = [];
  const changes: (Pick<Session, 'id' | 'starts_at' | 'ends_at' | 'venue_id' | 'status' | 'cancel_reason' | 'sequence'> & { updated_at: number })[] = [];
  for (const s of existing) {
    if (s.edited || s.starts_at <= nowMs) continue;
    const o = wantedByDate.get(s.occurrence_date!);
    if (!o) {
      gone.push(s.id);
      continue;
    }
    const closed = closures.has(o.date);
    const next = {
      starts_at: o.startsAt,
      ends_at: o.endsAt,
      venue_id: group.venue_id,
      status: closed ? ('cancelled' as const) : ('scheduled' as const),
      cancel_reason: closed ? closureReason(closures.get(o.date)) : null,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== s[k]);
    if (changed) changes.push({ id: s.id, ...next, sequence: s.sequence + 1, updated_at: nowMs });
  }
  // However many sessions a schedule change touches, a fixed number of statements (D1's query limit).
  if (gone.length > 0) await db.deleteFrom('sessions').where('id', 'in', jsonIds(gone)).execute();
  await updateSessions(db, changes);

  const fresh = wanted.filter((o) => !existingDates.has(o.date));
  await insertSessions(
    db,
    fresh.map((o) => newSessionRow(group, o, nowMs, closures.has(o.date) ? closureReason(closures.get(o.date)) : null)),
  );
  await db.updateTable('community_groups').set({ materialised_until: horizon }).where('id', '=', group.id).execute();
}

/** The reason a session cancelled by a closure carries: its text gives it, and lifting the closure finds it by it. */
export function closureReason(reason: string | null | undefined): string {
  return reason ? `${CLOSURE_REASON}: ${reason}` : CLOSURE_REASON;
}

/**
 * Keeps every active group's sessions materialised to the horizon; cheap when nothing is due,
 * since a group already materialised to today's horizon is skipped.
 */
export async function topUpSessions(db: DbOrTx, nowMs: number, horizonDays: number, share = allowance()): Promise<number> {
  if (!share.has(1 + SYNC_QUERIES)) return 0;
  const groups = await db
    .selectFrom('community_groups')
    .innerJoin('practices', 'practices.id', 'community_groups.practice_id')
    .selectAll('community_groups')
    .select('practices.timezone')
    .where('community_groups.status', '=', 'active')
    // Furthest behind first (never materialised at all, then oldest), for a pass that cannot reach them all.
    .orderBy(sql`community_groups.materialised_until IS NOT NULL`)
    .orderBy('community_groups.materialised_until')
    .execute();
  const due = groups.filter((g) => g.materialised_until === null || g.materialised_until < addDays(localDate(nowMs, g.timezone), horizonDays));
  let synced = 0;
  // Many groups to a transaction: one commit each cost 3.7 ms of scattered index pages (issue 17).
  for (let i = 0; i < due.length && share.has(SYNC_QUERIES); i += SYNC_BATCH) {
    await atomic(db, async (tx) => {
      for (const g of due.slice(i, i + SYNC_BATCH)) {
        if (!share.has(SYNC_QUERIES)) break;
        await syncGroupSessions(tx, g, g.timezone, nowMs, horizonDays);
        synced++;
      }
    });
    // Other requests wait for the transaction: let them in between batches.
    await turn();
  }
  return synced;
}

/** Groups synced in one transaction: short enough that a request waits a few milliseconds at most. */
const SYNC_BATCH = 50;

/**
 * Materialises a group's slots between two local dates even if they are past: for the demo,
 * the benchmarks and importing a group that was already running on paper.
 */
export async function backfillSessions(db: DbOrTx, group: Group, zone: string, fromDate: string, toDate: string, nowMs: number): Promise<void> {
  await insertSessions(
    db,
    occurrencesBetween(scheduleOf(group), zone, fromDate, toDate).map((o) => newSessionRow(group, o, nowMs, null)),
  );
}

/** An untouched session for one slot of a group's schedule; cancelled when a closure covers it. */
function newSessionRow(group: Group, o: Occurrence, nowMs: number, cancelReason: string | null): NewSession {
  return {
    uid: crypto.randomUUID(),
    practice_id: group.practice_id,
    group_id: group.id,
    occurrence_date: o.date,
    starts_at: o.startsAt,
    ends_at: o.endsAt,
    venue_id: group.venue_id,
    status: cancelReason ? 'cancelled' : 'scheduled',
    cancel_reason: cancelReason,
    edited: 0,
    sequence: 0,
    created_at: nowMs,
    updated_at: nowMs,
  };
}

/** Each row's columns set on the session with its id, one statement per thousand sessions. */
async function updateSessions(db: DbOrTx, rows: (Partial<Session> & { id: number })[]): Promise<void> {
  for (const chunk of jsonRowChunks(rows, statementRows(db))) {
    const set = chunk.columns.filter((c) => c !== 'id');
    await sql`WITH changes (${sql.join(chunk.columns.map((c) => sql.ref(c)))}) AS (${chunk.select})
      UPDATE sessions SET ${sql.join(set.map((c) => sql`${sql.ref(c)} = changes.${sql.ref(c)}`))}
      FROM changes WHERE sessions.id = changes.id`.execute(db);
  }
}

/** Slots already materialised are left alone (the unique key is group × slot date). */
async function insertSessions(db: DbOrTx, rows: NewSession[]): Promise<void> {
  for (const chunk of jsonRowChunks(rows, statementRows(db))) {
    await db
      .insertInto('sessions')
      .columns(chunk.columns)
      .expression(chunk.select)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
