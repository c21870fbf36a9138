import { z } from 'zod';
import type { Db, DbOrTx, Venue } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { notFound } from '../lib/errors.js';

export interface VenueInput {
  name: string;
  address: string | null;
  meetingPoint: string | null;
  accessibility: string | null;
}

export const VenueDto = z.object({
  id: z.number().int(),
  name: z.string(),
  address: z.string().nullable(),
  meetingPoint: z.string().nullable(),
  accessibility: z.string().nullable(),
});

export function toVenueDto(v: Venue): z.input<typeof VenueDto> {
  return { id: v.id, name: v.name, address: v.address, meetingPoint: v.meeting_point, accessibility: v.accessibility };
}

export async function createVenue(db: Db, clock: Clock, practiceId: number, input: VenueInput) {
  const now = clock.now().getTime();
  return db
    .insertInto('venues')
    .values({
      practice_id: practiceId,
      name: input.name,
      address: input.address,
      meeting_point: input.meetingPoint,
      accessibility: input.accessibility,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listVenues(db: Db, practiceId: number) {
  return db.selectFrom('venues').selectAll().where('practice_id', '=', practiceId).orderBy('name').execute();
}

/** A venue of this practice, or 404: another practice's venue is indistinguishable from none. */
export async function getVenue(db: DbOrTx, practiceId: number, id: number): Promise<Venue> {
  const row = await db.selectFrom('venues').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Venue');
  return row;
}

export async function updateVenue(db: Db, clock: Clock, practiceId: number, id: number, input: Partial<VenueInput>) {
  await getVenue(db, practiceId, id);
  return db
    .updateTable('venues')
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.address !== undefined && { address: input.address }),
      ...(input.meetingPoint !== undefined && { meeting_point: input.meetingPoint }),
      ...(input.accessibility !== undefined && { accessibility: input.accessibility }),
      updated_at: clock.now().getTime(),
    })
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
