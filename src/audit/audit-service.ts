import { AppError } from '../lib/errors.js';
import { nextTurn } from '../lib/yielder.js';
import { jsonRowChunks, statementRows } from '../db/chunks.js';
import { sha256Hex } from '../lib/crypto.js';
import { atomic, isD1 } from '../db/atomic.js';
import { isStorageFault } from '../db/durability.js';
import type { DbOrTx, Db } from '../db/schema.js';
import { Lru } from '../lib/lru.js';

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
  /** What was read, as a version: the same version read again soon by the same user is folded into the first read. */
  version?: string;
  detail?: string | null;
}

/** Audit rows that could not be written because the disk was full, per database, written first next time. */
const held = new WeakMap<object, { actor: Actor; now: number; e: AuditInput }[]>();
const MAX_HELD = 1_000;

/**
 * Who read, changed, exported or erased patient data, and when: GDPR accountability. Rows from
 * requests running at the same moment are written together in one transaction (a register read
 * wrote its own, one commit each, under load), and each request still waits until its row is
 * written. When the disk is full, or another process holds the write lock past the bound, a read
 * still answers: its audit row is held in memory (up to a bound, never dropped) and written as
 * soon as a write succeeds again.
 */
export async function audit(db: DbOrTx, actor: Actor, now: number, e: AuditInput, folds?: ReadFolding): Promise<void> {
  if (folds?.seen(actor, now, e)) return;
  if (db.isTransaction) return writeAudit(db, actor, now, e);
  // On Workers each request's queries count against its own budget: no sharing a write there.
  if (isD1(db)) return writeTogether(db as Db, [{ actor, now, e }]);
  let batch = gathering.get(db);
  if (!batch) {
    const entries: Held[] = [];
    // After this turn of the event loop, when every request that is here now has added its row.
    const done = new Promise<void>((resolve) => nextTurn(resolve)).then(() => {
      gathering.delete(db);
      return writeTogether(db as Db, entries);
    });
    gathering.set(db, (batch = { entries, done }));
  }
  batch.entries.push({ actor, now, e });
  await batch.done;
}

/** A person reading the same unchanged thing again within this long is one read, not several. */
const FOLD_MS = 5 * 60_000;

/**
 * Repeat reads folded into the first: the same user reading the same register, unchanged (the
 * caller's `version`), within five minutes writes no new audit event. Per process (per isolate on
 * Workers): the first read of each is always written.
 */
export class ReadFolding {
  private readonly last = new Lru<string, number>(10_000);

  /** Whether this read repeats one written within the window (and, if not, that it is now the one). */
  seen(actor: Actor, now: number, e: AuditInput & { version?: string }): boolean {
    if (e.version === undefined) return false;
    const key = `${actor.id}|${actor.practiceId}|${e.action}|${e.entity}|${e.entityId ?? ''}|${e.version}`;
    const at = this.last.get(key);
    if (at !== undefined && now - at < FOLD_MS) return true;
    this.last.set(key, now);
    return false;
  }
}

interface Held {
  actor: Actor;
  now: number;
  e: AuditInput;
}

const gathering = new WeakMap<object, { entries: Held[]; done: Promise<void> }>();

async function writeTogether(db: Db, entries: Held[]): Promise<void> {
  const queue = held.get(db) ?? [];
  const all = [...queue, ...entries];
  try {
    await atomic(db, async (tx) => {
      for (const x of all) await writeAudit(tx, x.actor, x.now, x.e);
    });
    held.delete(db);
  } catch (err) {
    // A lock held past the bound is a fault of the same kind as a full disk: the read still answers.
    const busy = err instanceof AppError && err.code === 'storage_busy';
    if (!(isStorageFault(err) || busy) || all.length > MAX_HELD) throw err;
    held.set(db, all);
  }
}

async function writeAudit(db: DbOrTx, actor: Actor, now: number, e: AuditInput): Promise<void> {
  const shown = [...new Set((e.shown ?? []).filter((id): id is number => id !== null && id !== e.participantId))].sort((a, b) => a - b);
  const setId = shown.length ? await shownSet(db, shown) : null;
  await db
    .insertInto('audit_events')
    .values({ ...auditValues(actor, now, e), shown_set_id: setId })
    .execute();
}

/**
 * The set of people a read showed, written once: a register read again and again by its CLP, or a
 * list that has not changed, names the same set and writes one row, not one per person.
 */
async function shownSet(db: DbOrTx, ids: number[]): Promise<number> {
  const key = await sha256Hex(ids.join(','));
  const known = await db.selectFrom('audit_shown_sets').select('id').where('key', '=', key).executeTakeFirst();
  if (known) return known.id;
  const { id } = await db.insertInto('audit_shown_sets').values({ key }).returning('id').executeTakeFirstOrThrow();
  for (const chunk of jsonRowChunks(
    ids.map((participant_id) => ({ set_id: id, participant_id })),
    statementRows(db),
  )) {
    await db.insertInto('audit_shown_members').columns(chunk.columns).expression(chunk.select).execute();
  }
  return id;
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
        eb('audit_events.shown_set_id', 'in', eb.selectFrom('audit_shown_members').select('set_id').where('participant_id', '=', pid)),
      ]),
    );
  }
  if (filter.before !== undefined) q = q.where('audit_events.id', '<', filter.before);
  return q.orderBy('audit_events.id', 'desc').limit(filter.limit).execute();
}
