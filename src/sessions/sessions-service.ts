import { z } from 'zod';
import type { Db, DbOrTx, Session } from '../db/schema.js';
import { ZonedTime } from '../openapi/describe.js';
import type { Clock } from '../lib/time/clock.js';
import { conflict, invalid, notFound, unprocessable } from '../lib/errors.js';
import { addDays, startOfLocalDate, toZonedIso } from '../lib/time/time.js';
import { getGroup } from '../groups/groups-service.js';
import { usableVenue } from '../venues/venues-service.js';
import { compiledOnce } from '../db/compiled-once.js';

export interface Scope {
  practiceId: number;
  timezone: string;
}

export const SessionDto = z.object({
  id: z.number().int(),
  groupId: z.number().int(),
  startsAt: ZonedTime,
  endsAt: ZonedTime,
  status: z.enum(['scheduled', 'cancelled']),
  cancelReason: z.string().optional(),
  venueId: z.number().int(),
  oneOff: z.boolean().describe('Added by hand, not from the schedule'),
  edited: z.boolean().describe('Moved or changed from what the schedule says'),
  sequence: z.number().int().describe('Bumped on every change; calendar feeds carry it'),
});

export function toSessionDto(s: Session, zone: string): z.input<typeof SessionDto> {
  return {
    id: s.id,
    groupId: s.group_id,
    startsAt: toZonedIso(s.starts_at, zone),
    endsAt: toZonedIso(s.ends_at, zone),
    status: s.status,
    ...(s.cancel_reason !== null && { cancelReason: s.cancel_reason }),
    venueId: s.venue_id,
    oneOff: s.occurrence_date === null,
    edited: s.edited === 1,
    sequence: s.sequence,
  };
}

const sessionById = compiledOnce((db: DbOrTx, practiceId: number, id: number) =>
  db.selectFrom('sessions').selectAll().where('practice_id', '=', practiceId).where('id', '=', id),
);

export async function getSession(db: DbOrTx, practiceId: number, id: number): Promise<Session> {
  const [row] = await sessionById(db, practiceId, id);
  if (!row) throw notFound('Session');
  return row;
}

/** Sessions whose local start date is in [from, to], optionally for one group. */
export async function listSessions(db: Db, scope: Scope, range: { from: string; to: string; groupId?: number }) {
  if (range.to < range.from) throw invalid('"to" must not be before "from"');
  if (addDays(range.from, 800) < range.to) throw invalid('Ask for at most two years of sessions at a time');
  let q = db
    .selectFrom('sessions')
    .selectAll()
    .where('practice_id', '=', scope.practiceId)
    .where('starts_at', '>=', startOfLocalDate(range.from, scope.timezone))
    .where('starts_at', '<', startOfLocalDate(addDays(range.to, 1), scope.timezone));
  if (range.groupId !== undefined) q = q.where('group_id', '=', range.groupId);
  return q.orderBy('starts_at').orderBy('id').execute();
}

export async function cancelSession(db: Db, clock: Clock, scope: Scope, id: number, reason: string): Promise<Session> {
  const now = clock.now().getTime();
  const s = await getSession(db, scope.practiceId, id);
  if (s.status === 'cancelled') return s; // a retry from a phone with poor signal changes nothing
  if (s.ends_at <= now) throw unprocessable('This session has already taken place and cannot be cancelled');
  return db
    .updateTable('sessions')
    .set({ status: 'cancelled', cancel_reason: reason, edited: 1, sequence: s.sequence + 1, updated_at: now })
    .where('id', '=', s.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function restoreSession(db: Db, clock: Clock, scope: Scope, id: number): Promise<Session> {
  const now = clock.now().getTime();
  const s = await getSession(db, scope.practiceId, id);
  if (s.status === 'scheduled') return s;
  if (s.ends_at <= now) throw unprocessable('This session is in the past and cannot be restored');
  return db
    .updateTable('sessions')
    .set({ status: 'scheduled', cancel_reason: null, edited: 1, sequence: s.sequence + 1, updated_at: now })
    .where('id', '=', s.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A session ends after it starts and lasts at most a day, whether moved or added as a one-off. */
function checkLength(startsAt: number, endsAt: number): void {
  if (endsAt <= startsAt) throw invalid('endsAt must be after startsAt', [{ path: 'endsAt', message: 'must be after startsAt' }]);
  if (endsAt - startsAt > 24 * 3_600_000) throw invalid('A session cannot last more than 24 hours', [{ path: 'endsAt', message: 'too long' }]);
}

export interface MoveInput {
  startsAt?: number;
  endsAt?: number;
  venueId?: number;
}

/** Moves a session in time and/or place; its length is kept unless a new end is given. */
export async function moveSession(db: Db, clock: Clock, scope: Scope, id: number, input: MoveInput): Promise<Session> {
  const now = clock.now().getTime();
  const s = await getSession(db, scope.practiceId, id);
  if (s.status === 'cancelled') throw conflict('This session is cancelled: restore it before moving it');
  if (s.ends_at <= now) throw unprocessable('This session has already taken place and cannot be moved');
  if (input.venueId !== undefined) await usableVenue(db, scope.practiceId, input.venueId);
  const startsAt = input.startsAt ?? s.starts_at;
  const endsAt = input.endsAt ?? (input.startsAt !== undefined ? startsAt + (s.ends_at - s.starts_at) : s.ends_at);
  checkLength(startsAt, endsAt);
  if (startsAt < now) throw unprocessable('A session cannot be moved into the past');
  return db
    .updateTable('sessions')
    .set({ starts_at: startsAt, ends_at: endsAt, venue_id: input.venueId ?? s.venue_id, edited: 1, sequence: s.sequence + 1, updated_at: now })
    .where('id', '=', s.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An extra session outside the schedule (a one-off): never touched by schedule edits. */
export async function addOneOffSession(
  db: Db,
  clock: Clock,
  scope: Scope,
  groupId: number,
  input: { startsAt: number; endsAt?: number; venueId?: number },
): Promise<Session> {
  const now = clock.now().getTime();
  const group = await getGroup(db, scope.practiceId, groupId);
  if (group.status === 'archived') throw conflict('This group is archived');
  if (input.venueId !== undefined) await usableVenue(db, scope.practiceId, input.venueId);
  const endsAt = input.endsAt ?? input.startsAt + group.duration_minutes * 60_000;
  checkLength(input.startsAt, endsAt);
  return db
    .insertInto('sessions')
    .values({
      uid: crypto.randomUUID(),
      practice_id: scope.practiceId,
      group_id: group.id,
      occurrence_date: null,
      starts_at: input.startsAt,
      ends_at: endsAt,
      venue_id: input.venueId ?? group.venue_id,
      status: 'scheduled',
      cancel_reason: null,
      edited: 1,
      sequence: 0,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
