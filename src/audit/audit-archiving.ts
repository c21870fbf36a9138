import { sql, type Selectable } from 'kysely';
import { DateTime } from 'luxon';
import { atomicWrites } from '../db/atomic.js';
import { JSON_ROWS_PER_STATEMENT, statementRows } from '../db/chunks.js';
import { allowance, inTurn, type Allowance } from '../db/query-budget.js';
import type { AuditEventTable, Db } from '../db/schema.js';
import { jsonIds } from '../db/json-table.js';
import { turn, yielder } from '../lib/yielder.js';
import { gzip, type ArchiveStore } from './archive-store.js';

/**
 * Events in one archived object: on D1, where every statement counts, about a month of a real
 * practice's reads; on Node, where a statement holds the thread, fewer (5,000 read or deleted in
 * one statement held it 25-30 ms, with nothing else running).
 */
function eventsAnObject(db: Db): number {
  return statementRows(db) < JSON_ROWS_PER_STATEMENT ? 2_000 : 5_000;
}
/** A pass looks at this many practices (in turn) and writes at most this many objects: archiving is never urgent. */
const PRACTICES_A_PASS = 50;
const OBJECTS_A_PASS = 2;
/** Reading a batch, the sets it names, and writing it (four statements in one batch). */
const QUERIES_AN_OBJECT = 6;

/** One audit event as it is kept in the archive. */
export interface ArchivedEvent {
  id: number;
  at: number;
  userId: number | null;
  action: string;
  entity: string;
  entityId: number | null;
  participantId: number | null;
  detail: string | null;
  /** The set of people the read showed (its members are in the object's `sets`). */
  shownSet: number | null;
  /** People tied to the event by the older way (audit_event_participants). */
  also: number[];
}

/** An archived object: a practice's events and the shown sets they name, written whole. */
export interface ArchiveObject {
  practiceId: number;
  sets: Record<string, number[]>;
  events: ArchivedEvent[];
}

/**
 * Moves each practice's audit events older than its audit retention into the archive store,
 * compressed, a few thousand to an object; the database keeps which objects there are and
 * everyone each names, so a person's trail is still found. The object is stored before the
 * events are deleted, in one batch with its listing: a pass cut short leaves the events where
 * they were (and at worst an object nothing lists, written again under the same key next time).
 * A concern's reads stay in the database: its record is read whole, and often.
 */
export async function archiveAuditEvents(db: Db, store: ArchiveStore, now: number, share: Allowance = allowance()) {
  let objects = 0;
  let events = 0;
  if (!share.has(1 + QUERIES_AN_OBJECT)) return { objects, events };
  const practices = await db.selectFrom('practices').select(['id', 'timezone', 'retention_audit_months']).orderBy('id').execute();
  const breather = yielder();
  for (const p of inTurn(practices, now).slice(0, PRACTICES_A_PASS)) {
    const cutoff = DateTime.fromMillis(now, { zone: p.timezone }).minus({ months: p.retention_audit_months }).toMillis();
    while (objects < OBJECTS_A_PASS && share.has(QUERIES_AN_OBJECT)) {
      await breather();
      const n = await archiveBatch(db, store, { practiceId: p.id, cutoff, now });
      if (n === 0) break;
      objects += 1;
      events += n;
    }
    if (objects >= OBJECTS_A_PASS || !share.has(QUERIES_AN_OBJECT)) break;
  }
  return { objects, events };
}

/** An event as read to archive: its own columns, and the people tied to it the older way as a JSON list. */
type EventRow = Omit<Selectable<AuditEventTable>, 'practice_id'> & { also: string };

/** Archives the practice's oldest batch of events before `cutoff`; how many it moved. */
async function archiveBatch(db: Db, store: ArchiveStore, at: { practiceId: number; cutoff: number; now: number }): Promise<number> {
  const { practiceId, cutoff, now } = at;
  // The newest event anywhere stays: ids are not AUTOINCREMENT, and deleting the highest would let it be given again.
  const { rows } = await sql<EventRow>`
    SELECT e.id, e.at, e.user_id, e.action, e.entity, e.entity_id, e.participant_id, e.detail, e.shown_set_id,
      (SELECT json_group_array(x.participant_id) FROM audit_event_participants x WHERE x.event_id = e.id) AS also
    FROM audit_events e
    WHERE e.practice_id = ${practiceId} AND e.at < ${cutoff} AND e.entity != 'concern'
      AND e.id < (SELECT max(id) FROM audit_events)
    ORDER BY e.at, e.id
    LIMIT ${eventsAnObject(db)}`.execute(db);
  if (rows.length === 0) return 0;
  // Each step below holds the thread 5-15 ms on Node: requests get a turn between every two.
  await turn();
  const object = await objectOf(db, practiceId, rows);
  await turn();
  const ids = object.events.map((e) => e.id);
  const body = await gzip(new TextEncoder().encode(JSON.stringify(object)));
  const first = Math.min(...ids);
  const last = Math.max(...ids);
  const firstAt = rows[0]!.at;
  const key = `audit/practice-${practiceId}/${new Date(firstAt).toISOString().slice(0, 10)}-${first}-${last}.json.gz`;
  await store.put(key, body);
  await turn();
  await atomicWrites(db, [
    db
      .insertInto('audit_archives')
      .values({
        practice_id: practiceId,
        key,
        first_id: first,
        last_id: last,
        first_at: firstAt,
        last_at: rows[rows.length - 1]!.at,
        events: rows.length,
        bytes: body.length,
        archived_at: now,
      })
      .compile(),
    sql`INSERT INTO audit_archive_people (participant_id, archive_id)
      SELECT value, (SELECT id FROM audit_archives WHERE key = ${key}) FROM json_each(${JSON.stringify(peopleIn(object))})`.compile(db),
    sql`DELETE FROM audit_event_participants WHERE event_id IN ${jsonIds(ids)}`.compile(db),
    sql`DELETE FROM audit_events WHERE id IN ${jsonIds(ids)}`.compile(db),
  ]);
  return rows.length;
}

async function objectOf(db: Db, practiceId: number, rows: EventRow[]): Promise<ArchiveObject> {
  const setIds = [...new Set(rows.map((r) => r.shown_set_id).filter((s): s is number => s !== null))];
  const sets: Record<string, number[]> = {};
  if (setIds.length > 0) {
    const { rows: members } = await sql<{ set_id: number; members: string }>`
      SELECT set_id, json_group_array(participant_id) AS members FROM audit_shown_members
      WHERE set_id IN ${jsonIds(setIds)} GROUP BY set_id`.execute(db);
    for (const m of members) sets[String(m.set_id)] = JSON.parse(m.members) as number[];
  }
  const events = rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    participantId: r.participant_id,
    detail: r.detail,
    shownSet: r.shown_set_id,
    also: JSON.parse(r.also) as number[],
  }));
  return { practiceId, sets, events };
}

/** Everyone an object's events name, each once: the index a subject-access request searches. */
export function peopleIn(o: ArchiveObject): number[] {
  const people = new Set<number>();
  for (const e of o.events) {
    if (e.participantId !== null) people.add(e.participantId);
    for (const p of e.also) people.add(p);
    for (const p of e.shownSet === null ? [] : (o.sets[String(e.shownSet)] ?? [])) people.add(p);
  }
  return [...people].sort((a, b) => a - b);
}

/** Whether an archived event concerns the person, the same three ways the live log is searched. */
export function concerns(o: ArchiveObject, e: ArchivedEvent, participantId: number): boolean {
  return (
    e.participantId === participantId || e.also.includes(participantId) || (e.shownSet !== null && (o.sets[String(e.shownSet)] ?? []).includes(participantId))
  );
}
