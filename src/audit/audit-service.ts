import { paramChunks } from '../db/chunks.js';
import { isStorageFault } from '../db/durability.js';
import type { DbOrTx, Db } from '../db/schema.js';

export interface Actor {
  id: number;
  practiceId: number;
  timezone: string;
}

export interface AuditInput {
  action: 'read' | 'list' | 'create' | 'update' | 'export' | 'erase' | 'enrol' | 'withdraw' | 'register_read' | 'register_write' | 'report' | 'import';
  entity: string;
  entityId?: number | null;
  participantId?: number | null;
  /** Everyone whose details the read showed: a person's audit trail then includes lists and registers. */
  shown?: readonly (number | null)[];
  detail?: string | null;
}

/** Audit rows that could not be written because the disk was full, per database, written first next time. */
const held = new WeakMap<object, { actor: Actor; now: number; e: AuditInput }[]>();
const MAX_HELD = 1_000;

/**
 * Who read, changed, exported or erased patient data, and when: GDPR accountability. When the
 * disk is full a read still answers: its audit row is held in memory (up to a bound, never
 * dropped) and written as soon as a write succeeds again.
 */
export async function audit(db: DbOrTx, actor: Actor, now: number, e: AuditInput): Promise<void> {
  if (db.isTransaction) return writeAudit(db, actor, now, e);
  const queue = held.get(db) ?? [];
  try {
    while (queue.length > 0) {
      const first = queue[0]!;
      await writeAudit(db, first.actor, first.now, first.e);
      queue.shift();
    }
    await writeAudit(db, actor, now, e);
  } catch (err) {
    if (!isStorageFault(err) || queue.length >= MAX_HELD) throw err;
    queue.push({ actor, now, e });
    held.set(db, queue);
  }
}

async function writeAudit(db: DbOrTx, actor: Actor, now: number, e: AuditInput): Promise<void> {
  const shown = [...new Set((e.shown ?? []).filter((id): id is number => id !== null && id !== e.participantId))];
  const row = await db
    .insertInto('audit_events')
    .values(auditValues(actor, now, e))
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const chunk of paramChunks(shown.map((participant_id) => ({ event_id: row.id, participant_id })))) {
    await db.insertInto('audit_event_participants').values(chunk).execute();
  }
}

function auditValues(actor: Actor, now: number, e: AuditInput) {
  return {
    practice_id: actor.practiceId,
    user_id: actor.id,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId ?? null,
    participant_id: e.participantId ?? null,
    detail: e.detail ?? null,
    at: now,
  };
}

/** The audit row as a query, for writes that must land in the same batch as the change. */
export function auditQuery(db: DbOrTx, actor: Actor, now: number, e: AuditInput) {
  return db
    .insertInto('audit_events')
    .values(auditValues(actor, now, e))
    .compile();
}

export function listAuditEvents(db: Db, practiceId: number, filter: { participantId?: number; limit: number; before?: number }) {
  let q = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.user_id')
    .select([
      'audit_events.id',
      'audit_events.action',
      'audit_events.entity',
      'audit_events.entity_id',
      'audit_events.participant_id',
      'audit_events.detail',
      'audit_events.at',
      'audit_events.user_id',
      'users.name as user_name',
    ])
    .where('audit_events.practice_id', '=', practiceId);
  if (filter.participantId !== undefined) {
    const pid = filter.participantId;
    q = q.where((eb) =>
      eb.or([
        eb('audit_events.participant_id', '=', pid),
        eb('audit_events.id', 'in', eb.selectFrom('audit_event_participants').select('event_id').where('participant_id', '=', pid)),
      ]),
    );
  }
  if (filter.before !== undefined) q = q.where('audit_events.id', '<', filter.before);
  return q.orderBy('audit_events.id', 'desc').limit(filter.limit).execute();
}
