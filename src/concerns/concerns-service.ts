import { sql } from 'kysely';
import type { ConcernKind, ConcernStatus, Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { conflict, forbidden, invalid, notFound } from '../lib/errors.js';
import { nameFor } from '../participants/person-name.js';
import { groupsLedBy, peopleLeaderMayName } from '../leaders/leader-access.js';

export const CONCERN_KINDS = ['wellbeing', 'safeguarding', 'incident', 'accident'] as const;
export const CONCERN_URGENCIES = ['today', 'this_week'] as const;
export const CONCERN_STATUSES = ['open', 'acknowledged', 'closed'] as const;

interface Caller extends Actor {
  role: string;
}

export interface ConcernInput {
  participantId: number | null;
  sessionId: number | null;
  kind: ConcernKind;
  urgency: 'today' | 'this_week';
  text: string;
}

/** A concern as its reader may see it: a leader reads a person's given name and family initial only. */
export interface ConcernView {
  id: number;
  participantId: number | null;
  participantName: string | null;
  sessionId: number | null;
  sessionStartsAt: number | null;
  groupName: string | null;
  kind: ConcernKind;
  urgency: 'today' | 'this_week';
  text: string;
  status: ConcernStatus;
  raisedBy: { id: number; name: string } | null;
  raisedAt: number;
  acknowledgedBy: { id: number; name: string } | null;
  acknowledgedAt: number | null;
  closedBy: { id: number; name: string } | null;
  closedAt: number | null;
  note: string | null;
}

/**
 * Records a concern or an incident seen at a group. A leader can raise one only about their own
 * groups' sessions and people; anything else is not found, as another practice's would be.
 */
export async function raiseConcern(db: Db, actor: Caller, now: number, input: ConcernInput) {
  const led = actor.role === 'leader' ? await groupsLedBy(db, actor) : null;
  if (input.sessionId !== null) {
    const s = await db
      .selectFrom('sessions')
      .select(['id', 'group_id'])
      .where('practice_id', '=', actor.practiceId)
      .where('id', '=', input.sessionId)
      .executeTakeFirst();
    if (!s || (led && !led.has(s.group_id))) throw notFound('Session');
  }
  if (input.participantId !== null) {
    const p = await db
      .selectFrom('participants')
      .select(['id', 'erased_at'])
      .where('practice_id', '=', actor.practiceId)
      .where('id', '=', input.participantId)
      .executeTakeFirst();
    if (!p || (led && !(await peopleLeaderMayName(db, led, [p.id])).has(p.id))) throw notFound('Participant');
    if (p.erased_at !== null) throw conflict("This person's details were erased: raise the concern without naming them");
  }
  const row = await db
    .insertInto('concerns')
    .values({
      practice_id: actor.practiceId,
      participant_id: input.participantId,
      session_id: input.sessionId,
      kind: input.kind,
      urgency: input.urgency,
      text: input.text,
      raised_by: actor.id,
      raised_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, actor, now, { action: 'create', entity: 'concern', entityId: row.id, participantId: input.participantId, detail: input.kind });
  return (await readConcerns(db, actor, { id: row.id }))[0]!;
}

/** Concerns in the practice (a leader: those they raised), most urgent and newest first; the read is audited. */
export async function listConcerns(db: Db, actor: Caller, now: number, status?: ConcernStatus) {
  const rows = await readConcerns(db, actor, { status });
  await audit(db, actor, now, { action: 'list', entity: 'concern', shown: rows.map((r) => r.participantId).filter((id) => id !== null) });
  return rows;
}

export async function getConcern(db: Db, actor: Caller, now: number, id: number) {
  const row = (await readConcerns(db, actor, { id }))[0];
  if (!row) throw notFound('Concern');
  await audit(db, actor, now, { action: 'read', entity: 'concern', entityId: id, participantId: row.participantId });
  return row;
}

async function readConcerns(db: Db, actor: Caller, filter: { id?: number; status?: ConcernStatus }): Promise<ConcernView[]> {
  let q = db
    .selectFrom('concerns as c')
    .leftJoin('participants as p', 'p.id', 'c.participant_id')
    .leftJoin('sessions as s', 's.id', 'c.session_id')
    .leftJoin('community_groups as g', 'g.id', 's.group_id')
    .leftJoin('users as r', 'r.id', 'c.raised_by')
    .leftJoin('users as a', 'a.id', 'c.acknowledged_by')
    .leftJoin('users as x', 'x.id', 'c.closed_by')
    .selectAll('c')
    .select([
      'p.given_name',
      'p.family_name',
      'p.erased_at',
      's.starts_at',
      'g.name as group_name',
      'r.name as raised_by_name',
      'a.name as acknowledged_by_name',
      'x.name as closed_by_name',
    ])
    .where('c.practice_id', '=', actor.practiceId);
  if (actor.role === 'leader') q = q.where('c.raised_by', '=', actor.id);
  if (filter.id !== undefined) q = q.where('c.id', '=', filter.id);
  if (filter.status !== undefined) q = q.where('c.status', '=', filter.status);
  const rows = await q
    .orderBy(sql`CASE c.status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END`)
    .orderBy(sql`CASE c.urgency WHEN 'today' THEN 0 ELSE 1 END`)
    .orderBy('c.raised_at', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
  const who = (id: number | null, name: string | null) => (id === null ? null : { id, name: name ?? 'Former user' });
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    participantName: r.participant_id === null || r.erased_at !== null ? null : nameFor(r, actor.role === 'leader'),
    sessionId: r.session_id,
    sessionStartsAt: r.starts_at,
    groupName: r.group_name,
    kind: r.kind,
    urgency: r.urgency,
    text: r.text,
    status: r.status,
    raisedBy: who(r.raised_by, r.raised_by_name),
    raisedAt: r.raised_at,
    acknowledgedBy: who(r.acknowledged_by, r.acknowledged_by_name),
    acknowledgedAt: r.acknowledged_at,
    closedBy: who(r.closed_by, r.closed_by_name),
    closedAt: r.closed_at,
    note: r.note,
  }));
}

/**
 * A CLP or admin acknowledges a concern (they have seen it and are acting) or closes it with a
 * note saying what was done. Asking for what is already so changes nothing; a closed concern
 * stays closed.
 */
export async function updateConcern(db: Db, actor: Caller, now: number, id: number, change: { status: 'acknowledged' | 'closed'; note: string | null }) {
  if (actor.role !== 'admin' && actor.role !== 'clp') throw forbidden('Only CLPs and admins acknowledge or close concerns');
  if (change.status === 'closed' && !change.note)
    throw invalid('Say what was done: a note is needed to close a concern', [{ path: 'note', message: 'a note is needed to close' }]);
  const before = await db.selectFrom('concerns').selectAll().where('practice_id', '=', actor.practiceId).where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('Concern');
  if (before.status === change.status) return (await readConcerns(db, actor, { id }))[0]!;
  if (before.status === 'closed') throw conflict('This concern is closed already; raise a new one if something more has happened');
  const updated = await db
    .updateTable('concerns')
    .set(
      change.status === 'acknowledged'
        ? { status: 'acknowledged', acknowledged_by: actor.id, acknowledged_at: now, ...(change.note && { note: change.note }) }
        : {
            status: 'closed',
            closed_by: actor.id,
            closed_at: now,
            note: change.note,
            // Closed straight from open: whoever closed it saw it.
            ...(before.acknowledged_at === null && { acknowledged_by: actor.id, acknowledged_at: now }),
          },
    )
    .where('id', '=', id)
    // Checked again inside the write: two CLPs closing at once write one note.
    .where('status', '=', before.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw conflict('Someone else changed this concern just now: look again');
  await audit(db, actor, now, { action: 'update', entity: 'concern', entityId: id, participantId: before.participant_id, detail: change.status });
  return (await readConcerns(db, actor, { id }))[0]!;
}

/** Open concerns in the practice: a count for Today (no one's details, so no read to audit). */
export async function openConcernCount(db: Db, actor: Caller): Promise<number> {
  let q = db
    .selectFrom('concerns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('practice_id', '=', actor.practiceId)
    .where('status', '=', 'open');
  if (actor.role === 'leader') q = q.where('raised_by', '=', actor.id);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Open (or acknowledged, not closed) concerns naming a person: an erasure asks first. */
export async function unresolvedConcernsAbout(db: Db, practiceId: number, participantId: number): Promise<number> {
  const row = await db
    .selectFrom('concerns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('practice_id', '=', practiceId)
    .where('participant_id', '=', participantId)
    .where('status', '!=', 'closed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
