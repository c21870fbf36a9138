import { z } from 'zod';
import type { Db, DbOrTx, Venue } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import { conflict, invalid, notFound } from '../lib/errors.js';
import { riskReviewDueOn } from './risk-review.js';

export interface VenueInput {
  name: string;
  address: string | null;
  postcode?: string | null;
  meetingPoint: string | null;
  accessibility: string | null;
  riskAssessedOn?: string | null;
  riskReviewMonths?: number | null;
}

export const VenueDto = z.object({
  id: z.number().int(),
  name: z.string(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  meetingPoint: z.string().nullable(),
  accessibility: z.string().nullable(),
  archived: z.boolean().describe('No longer offered for groups and sessions'),
  riskAssessedOn: z.string().nullable().describe("When the venue's (or walk route's) risk assessment was last reviewed"),
  riskReviewMonths: z.number().int().nullable().describe('How often it must be reviewed, in months'),
  riskReviewDueOn: z.string().nullable().describe('When the next review is due; 0000-01-01 when one is needed and none is recorded'),
});

export function toVenueDto(v: Venue): z.input<typeof VenueDto> {
  return {
    id: v.id,
    name: v.name,
    address: v.address,
    postcode: v.postcode,
    meetingPoint: v.meeting_point,
    accessibility: v.accessibility,
    archived: v.archived_at !== null,
    riskAssessedOn: v.risk_assessed_on,
    riskReviewMonths: v.risk_review_months,
    riskReviewDueOn: riskReviewDueOn(v),
  };
}

/** A review cannot have happened after today (anywhere: the date is the practice's own). */
function assertReviewedBefore(input: Partial<VenueInput>, now: number) {
  if (input.riskAssessedOn && input.riskAssessedOn > new Date(now + 14 * 3_600_000).toISOString().slice(0, 10)) {
    throw invalid('The risk assessment cannot have been reviewed in the future', [{ path: 'riskAssessedOn', message: 'must not be in the future' }]);
  }
}

export async function createVenue(db: Db, clock: Clock, practiceId: number, input: VenueInput) {
  const now = clock.now().getTime();
  assertReviewedBefore(input, now);
  return db
    .insertInto('venues')
    .values({
      practice_id: practiceId,
      name: input.name,
      address: input.address,
      postcode: input.postcode ?? null,
      meeting_point: input.meetingPoint,
      accessibility: input.accessibility,
      risk_assessed_on: input.riskAssessedOn ?? null,
      risk_review_months: input.riskReviewMonths ?? null,
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

/** A venue a group or session may be placed at: this practice's, and not archived. */
export async function usableVenue(db: DbOrTx, practiceId: number, id: number): Promise<Venue> {
  const v = await getVenue(db, practiceId, id);
  if (v.archived_at !== null) throw conflict(`${v.name} is archived: bring it back first, or choose another venue`);
  return v;
}

/** Archiving is refused while a group meets there or a session still to come is held there: move them first. */
async function assertUnused(db: Db, v: Venue, now: number) {
  const groups = await db.selectFrom('community_groups').select('name').where('venue_id', '=', v.id).where('status', '!=', 'archived').execute();
  if (groups.length)
    throw conflict(
      `${groups.map((g) => g.name).join(', ')} ${groups.length === 1 ? 'meets' : 'meet'} at ${v.name}: move ${groups.length === 1 ? 'it' : 'them'} first`,
    );
  const sessions = await db
    .selectFrom('sessions')
    .select('id')
    .where('venue_id', '=', v.id)
    .where('status', '=', 'scheduled')
    .where('starts_at', '>', now)
    .limit(1)
    .execute();
  if (sessions.length) throw conflict(`A session still to come is held at ${v.name}: move it first`);
}

export async function updateVenue(db: Db, clock: Clock, practiceId: number, id: number, input: Partial<VenueInput> & { archived?: boolean }) {
  const v = await getVenue(db, practiceId, id);
  const now = clock.now().getTime();
  assertReviewedBefore(input, now);
  if (input.archived === true && v.archived_at === null) await assertUnused(db, v, now);
  return db
    .updateTable('venues')
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.address !== undefined && { address: input.address }),
      ...(input.postcode !== undefined && { postcode: input.postcode }),
      ...(input.meetingPoint !== undefined && { meeting_point: input.meetingPoint }),
      ...(input.accessibility !== undefined && { accessibility: input.accessibility }),
      ...(input.riskAssessedOn !== undefined && { risk_assessed_on: input.riskAssessedOn }),
      ...(input.riskReviewMonths !== undefined && { risk_review_months: input.riskReviewMonths }),
      ...(input.archived !== undefined && { archived_at: input.archived ? (v.archived_at ?? now) : null }),
      updated_at: now,
    })
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
