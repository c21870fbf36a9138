import { sql } from 'kysely';
import type { Db, Group } from '../db/schema.js';
import { addDays, localDate, localToMillis, startOfLocalDate } from '../lib/time/time.js';
import { contactOf, publishProblems, type PublicContact } from './publish-check.js';

/** What the public may see of a group: its public words, its venue and its practice; never a person. */
export interface PublicGroup {
  id: number;
  uuid: string;
  name: string;
  summary: string;
  contact: PublicContact;
  kind: Group['kind'];
  status: Group['status'];
  group: Group;
  venue: { name: string; address: string; postcode: string; meetingPoint: string | null; accessibility: string | null };
  practice: { id: number; name: string; code: string | null; timezone: string };
}

export interface PublicSession {
  groupId: number;
  uid: string;
  startsAt: number;
  endsAt: number;
  status: 'scheduled' | 'cancelled';
  /** Where a moved session was meant to start: it is then "rescheduled". */
  previousStartsAt: number | null;
  updatedAt: number;
  sequence: number;
}

export const WEEKS_AHEAD = 8;

/**
 * Public groups (one practice's, by its code, or everyone's), listed only while complete: a venue
 * that lost its postcode since takes its groups out of every listing rather than publish a half.
 */
export async function publicGroups(
  db: Db,
  filter: { practiceCode?: string; uuid?: string; groupId?: number; includeUnpublished?: boolean } = {},
): Promise<PublicGroup[]> {
  let q = db
    .selectFrom('community_groups as g')
    .innerJoin('venues as v', 'v.id', 'g.venue_id')
    .innerJoin('practices as p', 'p.id', 'g.practice_id')
    .selectAll('g')
    .select([
      'v.name as venue_name',
      'v.address as venue_address',
      'v.postcode as venue_postcode',
      'v.meeting_point',
      'v.accessibility',
      'p.name as practice_name',
      'p.code as practice_code',
      'p.timezone',
    ])
    .where('g.status', '!=', 'archived');
  if (!filter.includeUnpublished) q = q.where('g.public', '=', 1);
  if (filter.practiceCode !== undefined) q = q.where('p.code', '=', filter.practiceCode);
  if (filter.uuid !== undefined) q = q.where('g.public_uuid', '=', filter.uuid);
  if (filter.groupId !== undefined) q = q.where('g.id', '=', filter.groupId);
  const rows = await q.orderBy('p.name').orderBy('g.public_name').orderBy('g.id').execute();
  return rows
    .filter(
      (r) => (r.public_uuid !== null || filter.includeUnpublished) && publishProblems(r, { address: r.venue_address, postcode: r.venue_postcode }).length === 0,
    )
    .map((r) => ({
      id: r.id,
      uuid: r.public_uuid ?? '',
      name: r.public_name!,
      summary: r.public_summary!,
      contact: contactOf(r),
      kind: r.kind,
      status: r.status,
      group: r,
      venue: { name: r.venue_name, address: r.venue_address!, postcode: r.venue_postcode!, meetingPoint: r.meeting_point, accessibility: r.accessibility },
      practice: { id: r.practice_id, name: r.practice_name, code: r.practice_code, timezone: r.timezone },
    }));
}

/** The coming weeks' sessions of these groups, cancelled ones kept (a directory must say so). */
type Timed = { id: number; group: Pick<Group, 'start_time'>; practice: { timezone: string } };

export async function publicSessions(db: Db, groups: Timed[], now: number, weeks = WEEKS_AHEAD): Promise<Map<number, PublicSession[]>> {
  const out = new Map<number, PublicSession[]>(groups.map((g) => [g.id, []]));
  if (groups.length === 0) return out;
  const byId = new Map(groups.map((g) => [g.id, g]));
  const zone = groups[0]!.practice.timezone;
  const until = startOfLocalDate(addDays(localDate(now, zone), weeks * 7 + 1), zone);
  // The group list goes in as one JSON parameter: D1 binds at most 100 values a query.
  const ids = JSON.stringify(groups.map((g) => g.id));
  const rows = await db
    .selectFrom('sessions')
    .select(['group_id', 'uid', 'starts_at', 'ends_at', 'status', 'occurrence_date', 'updated_at', 'sequence'])
    .where('group_id', 'in', sql<number>`(SELECT value FROM json_each(${ids}))`)
    .where('ends_at', '>', now)
    .where('starts_at', '<', until)
    .orderBy('starts_at')
    .execute();
  for (const s of rows) {
    const g = byId.get(s.group_id)!;
    const planned = s.occurrence_date === null ? null : localToMillis(s.occurrence_date, g.group.start_time, g.practice.timezone);
    out.get(s.group_id)!.push({
      groupId: s.group_id,
      uid: s.uid,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      status: s.status,
      previousStartsAt: planned !== null && planned !== s.starts_at ? planned : null,
      updatedAt: s.updated_at,
      sequence: s.sequence,
    });
  }
  return out;
}
