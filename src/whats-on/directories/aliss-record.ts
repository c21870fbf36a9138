import { DateTime } from 'luxon';
import type { Db, Group } from '../../db/schema.js';
import { getGroup } from '../../groups/groups-service.js';
import { scheduleOf } from '../../sessions/session-sync.js';
import { contactOf, publishProblems } from '../publish-check.js';
import { publicSessions } from '../public-listing.js';
import { addressParts, KIND_CATEGORIES } from '../public-words.js';
import { scheduleWords } from '../schedule-words.js';

export interface AlissRecord {
  name: string;
  summary: string;
  description: string;
  phone?: string;
  email?: string;
  url?: string;
  locations: { name: string; address: string; postcode: string }[];
  categories: string[];
}

/**
 * A group as ALISS wants it typed in (it has no API for posting and no schedule field): the
 * days and times in words, with the coming exceptions (cancelled or moved sessions), and what
 * ALISS would refuse (a name over 100 characters, a summary outside 50 to 200, no contact, no
 * address or postcode), so the admin fixes it here before copying.
 */
export async function alissRecord(db: Db, practice: { id: number; name: string; timezone: string }, groupId: number, now: number) {
  const g = await getGroup(db, practice.id, groupId);
  const venue = await db.selectFrom('venues').selectAll().where('id', '=', g.venue_id).executeTakeFirstOrThrow();
  const contact = contactOf(g);
  const problems = publishProblems(g, venue).map((p) => `Missing ${p}`);
  if (g.public !== 1) problems.unshift('The group is not public yet: ALISS should list only what the practice publishes');
  const name = g.public_name ?? g.name;
  if (name.length > 100) problems.push('The name is over 100 characters');
  const exceptions = await exceptionWords(db, g, practice.timezone, now);
  const record: AlissRecord = {
    name,
    summary: g.public_summary ?? '',
    description: [g.public_summary ?? '', `${scheduleWords(scheduleOf(g))}.`, ...exceptions, venue.meeting_point ? `Meet at ${venue.meeting_point}.` : '']
      .filter(Boolean)
      .join('\n'),
    ...(contact.phone && { phone: contact.phone }),
    ...(contact.email && { email: contact.email }),
    ...(contact.url && { url: contact.url }),
    locations: [
      { name: venue.name, address: venue.address ? Object.values(addressParts(venue.address)).filter(Boolean).join(', ') : '', postcode: venue.postcode ?? '' },
    ],
    categories: KIND_CATEGORIES[g.kind],
  };
  return { record, problems, changedSinceConfirmed: g.public === 1 && (g.aliss_confirmed_at ?? 0) < (g.listing_changed_at ?? 0) };
}

/** The coming sessions that are not as the schedule says, in words: "Not on 6 Apr 2027 (cancelled)." */
async function exceptionWords(db: Db, g: Group, zone: string, now: number) {
  const sessions = (await publicSessions(db, [{ id: g.id, group: g, practice: { timezone: zone } }], now)).get(g.id) ?? [];
  const day = (ms: number) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
  const time = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
  return sessions.flatMap((s) => {
    if (s.status === 'cancelled') return [`Not on ${day(s.startsAt)} (cancelled).`];
    if (s.previousStartsAt !== null) return [`${day(s.previousStartsAt)}: moved to ${day(s.startsAt)} at ${time(s.startsAt)}.`];
    return [];
  });
}

/** The admin has updated the ALISS listing by hand: the reminder goes until the listing changes again. */
export async function confirmAliss(db: Db, practiceId: number, groupId: number, now: number): Promise<void> {
  await getGroup(db, practiceId, groupId);
  await db.updateTable('community_groups').set({ aliss_confirmed_at: now }).where('id', '=', groupId).where('practice_id', '=', practiceId).execute();
}
