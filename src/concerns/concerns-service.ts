import { userRef } from '../users/user-ref.js';
import { sql } from 'kysely';
import type { ConcernKind, ConcernStatus, Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { conflict, forbidden, invalid, notFound } from '../lib/errors.js';
import { atomicWrites } from '../db/atomic.js';
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
  /** The last closing note; null to a leader, who sees that it was closed and by whom. */
  note: string | null;
  /** Every note and change of state, oldest first; empty to a leader. */
  actions: { at: number; by: { id: number; name: string } | null; status: ConcernStatus | null; note: string | null }[];
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

export async function readConcerns(db: Db, actor: Caller, filter: { id?: number; status?: ConcernStatus; participantId?: number }): Promise<ConcernView[]> {
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
  if (filter.participantId !== undefined) q = q.where('c.participant_id', '=', filter.participantId);
  const rows = await q
    .orderBy(sql`CASE c.status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END`)
    .orderBy(sql`CASE c.urgency WHEN 'today' THEN 0 ELSE 1 END`)
    .orderBy('c.raised_at', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
  const leader = actor.role === 'leader';
  const log = leader || rows.length === 0 ? new Map() : await actionsOf(db, actor.practiceId, filter);
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    participantName: r.participant_id === null || r.erased_at !== null ? null : nameFor(r, leader),
    sessionId: r.session_id,
    sessionStartsAt: r.starts_at,
    groupName: r.group_name,
    kind: r.kind,
    urgency: r.urgency,
    text: r.text,
    status: r.status,
    raisedBy: userRef(r.raised_by, r.raised_by_name),
    raisedAt: r.raised_at,
    acknowledgedBy: userRef(r.acknowledged_by, r.acknowledged_by_name),
    acknowledgedAt: r.acknowledged_at,
    closedBy: userRef(r.closed_by, r.closed_by_name),
    closedAt: r.closed_at,
    note: leader ? null : r.note,
    actions: log.get(r.id) ?? [],
  }));
}

/** The logs of the concerns a filter selects, in one query (a subquery, not a list of ids: D1 binds at most 100). */
async function actionsOf(db: Db, practiceId: number, filter: { id?: number; status?: ConcernStatus; participantId?: number }) {
  let mine = db.selectFrom('concerns').select('id').where('practice_id', '=', practiceId);
  if (filter.id !== undefined) mine = mine.where('id', '=', filter.id);
  if (filter.status !== undefined) mine = mine.where('status', '=', filter.status);
  if (filter.participantId !== undefined) mine = mine.where('participant_id', '=', filter.participantId);
  const rows = await db
    .selectFrom('concern_actions as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.concern_id', 'a.status', 'a.note', 'a.at', 'a.user_id', 'u.name'])
    .where('a.concern_id', 'in', mine)
    .orderBy('a.at')
    .orderBy('a.id')
    .execute();
  const out = new Map<number, ConcernView['actions']>();
  for (const a of rows) {
    const list = out.get(a.concern_id) ?? [];
    list.push({ at: a.at, by: userRef(a.user_id, a.name), status: a.status, note: a.note });
    out.set(a.concern_id, list);
  }
  return out;
}

export interface ConcernChange {
  status?: 'acknowledged' | 'closed' | 'open';
  note: string | null;
}

/**
 * A CLP or admin acts on a concern, and every action is kept in its log with who and when: a note
 * alone is added to the log; acknowledging says they have it (the first acknowledgement stays,
 * a later one adds its note); closing needs a note saying what was done; a closed concern is
 * reopened with a note saying why. Nothing is ever rewritten or dropped.
 */
export async function updateConcern(db: Db, actor: Caller, now: number, id: number, change: ConcernChange) {
  if (actor.role !== 'admin' && actor.role !== 'clp') throw forbidden('Only CLPs and admins act on concerns');
  if ((change.status === 'closed' || change.status === 'open') && !change.note) {
    const why = change.status === 'closed' ? 'say what was done: a note is needed to close' : 'say why: a note is needed to reopen';
    throw invalid(`A note is needed: ${why}`, [{ path: 'note', message: why }]);
  }
  if (change.status === undefined && !change.note) throw invalid('Give a note, a new state, or both', [{ path: 'note', message: 'nothing to add' }]);
  const before = await db.selectFrom('concerns').selectAll().where('practice_id', '=', actor.practiceId).where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('Concern');
  const moves = change.status !== undefined && change.status !== before.status;
  if (change.status === 'open' && before.status !== 'closed') throw conflict('Only a closed concern can be reopened: this one is not closed');
  if (moves && change.status === 'acknowledged' && before.status === 'closed') throw conflict('This concern is closed: reopen it with a note first');
  const writes = [];
  if (moves) {
    const set =
      change.status === 'acknowledged'
        ? { status: 'acknowledged' as const, ...(before.acknowledged_at === null && { acknowledged_by: actor.id, acknowledged_at: now }) }
        : change.status === 'closed'
          ? {
              status: 'closed' as const,
              closed_by: actor.id,
              closed_at: now,
              note: change.note,
              // Closed straight from open: whoever closed it saw it.
              ...(before.acknowledged_at === null && { acknowledged_by: actor.id, acknowledged_at: now }),
            }
          : { status: 'open' as const, closed_by: null, closed_at: null };
    // Checked again inside the write: two CLPs acting at once make one move.
    writes.push(db.updateTable('concerns').set(set).where('id', '=', id).where('status', '=', before.status).compile());
  }
  writes.push(
    db
      .insertInto('concern_actions')
      .columns(['concern_id', 'status', 'note', 'user_id', 'at'])
      .expression(
        db
          .selectFrom('concerns')
          .select([
            'id',
            sql<string | null>`${moves ? change.status! : null}`.as('status'),
            sql<string | null>`${change.note}`.as('note'),
            sql<number>`${actor.id}`.as('user_id'),
            sql<number>`${now}`.as('at'),
          ])
          .where('id', '=', id)
          // A move's entry lands only with the move; a note alone, whatever happened meanwhile.
          .$if(moves, (q) => q.where('status', '=', change.status!)),
      )
      .compile(),
  );
  await atomicWrites(db, writes);
  const after = (await readConcerns(db, actor, { id }))[0]!;
  if (moves && after.status !== change.status) throw conflict('Someone else changed this concern just now: look again');
  await audit(db, actor, now, { action: 'update', entity: 'concern', entityId: id, participantId: before.participant_id, detail: change.status ?? 'note' });
  return after;
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
