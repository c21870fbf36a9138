import type { DbOrTx, Db } from '../db/schema.js';

export interface Actor {
  id: number;
  practiceId: number;
  timezone: string;
}

export interface AuditInput {
  action: 'read' | 'list' | 'create' | 'update' | 'export' | 'erase' | 'enrol' | 'withdraw' | 'register_read' | 'register_write' | 'report';
  entity: string;
  entityId?: number | null;
  participantId?: number | null;
  detail?: string | null;
}

/** Who read, changed, exported or erased patient data, and when: GDPR accountability. */
export async function audit(db: DbOrTx, actor: Actor, now: number, e: AuditInput): Promise<void> {
  await db.executeQuery(auditQuery(db, actor, now, e));
}

/** The audit row as a query, for writes that must land in the same batch as the change. */
export function auditQuery(db: DbOrTx, actor: Actor, now: number, e: AuditInput) {
  return db
    .insertInto('audit_events')
    .values({
      practice_id: actor.practiceId,
      user_id: actor.id,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId ?? null,
      participant_id: e.participantId ?? null,
      detail: e.detail ?? null,
      at: now,
    })
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
  if (filter.participantId !== undefined) q = q.where('audit_events.participant_id', '=', filter.participantId);
  if (filter.before !== undefined) q = q.where('audit_events.id', '<', filter.before);
  return q.orderBy('audit_events.id', 'desc').limit(filter.limit).execute();
}
