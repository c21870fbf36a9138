import { AppError } from '../lib/errors.js';
import type { Db } from '../db/schema.js';
import { jsonIds } from '../db/json-table.js';
import { gunzip, type ArchiveStore } from './archive-store.js';
import { concerns, type ArchivedEvent, type ArchiveObject } from './audit-archiving.js';
import { listAuditEvents } from './audit-service.js';

export interface ArchiveSearch {
  /** Only events about this person (as the live log is searched); with `only: 'named'`, only those naming them as the subject. */
  participantId?: number;
  only?: 'named';
  /** Events with ids below this. */
  before?: number;
  /** At most this many, newest first. */
  limit: number;
}

/**
 * A practice's archived audit events, newest first: the objects that can hold what is asked
 * (those naming the person, from the database's index) are fetched from the archive store,
 * newest first, until the newest `limit` events are certain.
 */
export async function archivedEvents(db: Db, store: ArchiveStore | undefined, practiceId: number, q: ArchiveSearch): Promise<ArchivedEvent[]> {
  let listing = db.selectFrom('audit_archives').select(['id', 'key', 'first_id', 'last_id']).where('practice_id', '=', practiceId);
  if (q.participantId !== undefined) {
    const pid = q.participantId;
    listing = listing.where('id', 'in', (eb) => eb.selectFrom('audit_archive_people').select('archive_id').where('participant_id', '=', pid));
  }
  if (q.before !== undefined) listing = listing.where('first_id', '<', q.before);
  const objects = await listing.orderBy('last_id', 'desc').execute();
  const found: ArchivedEvent[] = [];
  for (const o of objects) {
    // Objects overlap little in ids; one whose newest is older than the newest `limit` found cannot add to them.
    if (found.length >= q.limit && o.last_id < found[q.limit - 1]!.id) break;
    const object = await readObject(store, o.key);
    for (const e of object.events) if (wanted(object, e, q)) found.push(e);
    found.sort((a, b) => b.id - a.id);
  }
  return found.slice(0, q.limit);
}

function wanted(o: ArchiveObject, e: ArchivedEvent, q: ArchiveSearch): boolean {
  if (q.before !== undefined && e.id >= q.before) return false;
  if (q.participantId === undefined) return true;
  return q.only === 'named' ? e.participantId === q.participantId : concerns(o, e, q.participantId);
}

async function readObject(store: ArchiveStore | undefined, key: string): Promise<ArchiveObject> {
  if (!store) {
    throw new AppError(
      'archive_unavailable',
      'Older audit events are in the audit archive, which this server is not connected to (AUDIT_ARCHIVE_DIR on Node, the AUDIT_ARCHIVE bucket on Workers)',
      { key },
    );
  }
  const bytes = await store.get(key);
  if (!bytes)
    throw new AppError('archive_unavailable', `An archived part of the audit log is missing from the archive (${key}): restore it from the archive's backup`, {
      key,
    });
  return JSON.parse(new TextDecoder().decode(await gunzip(bytes))) as ArchiveObject;
}

export type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>[number] & { archived: boolean };

/**
 * The practice's audit log, newest first, whole: the database's events and, once those run out
 * (they are the newer), the archived ones, so paging with `before` goes on into the archive.
 */
export async function auditLog(
  db: Db,
  store: ArchiveStore | undefined,
  practiceId: number,
  filter: { participantId?: number; limit: number; before?: number },
): Promise<AuditRow[]> {
  const live = (await listAuditEvents(db, practiceId, filter)).map((r) => ({ ...r, archived: false }));
  if (live.length === filter.limit) return live;
  const before = live.length > 0 ? live[live.length - 1]!.id : filter.before;
  const old = await archivedEvents(db, store, practiceId, { participantId: filter.participantId, before, limit: filter.limit - live.length });
  const names = await userNames(
    db,
    old.map((e) => e.userId),
  );
  return [
    ...live,
    ...old.map((e) => ({
      id: e.id,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId,
      participant_id: e.participantId,
      detail: e.detail,
      at: e.at,
      user_id: e.userId,
      user_name: e.userId === null ? null : (names.get(e.userId) ?? null),
      archived: true,
    })),
  ];
}

async function userNames(db: Db, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', jsonIds(wanted)).execute();
  return new Map(rows.map((u) => [u.id, u.name]));
}
