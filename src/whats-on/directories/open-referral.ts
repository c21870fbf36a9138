import { scheduleOf } from '../../sessions/session-sync.js';
import { addDays, localDate } from '../../lib/time/time.js';
import { sha256Hex } from '../../lib/crypto.js';
import type { PublicGroup } from '../public-listing.js';
import { addressParts } from '../public-words.js';
import { scheduleSegments } from './schedule-segments.js';
import { scheduleWords } from '../schedule-words.js';

/** A UUID made from a name (RFC 9562 version 8, from SHA-256): the same thing always gets the same id. */
export async function uuidFor(name: string): Promise<string> {
  const h = (await sha256Hex(name)).slice(0, 32);
  // Version 8 in the 13th digit; the variant (10xx) in the 17th.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const BYDAY: Record<string, string> = { mon: 'MO', tue: 'TU', wed: 'WE', thu: 'TH', fri: 'FR', sat: 'SA', sun: 'SU' };

const statusOf = (g: PublicGroup) => (g.status === 'paused' ? 'temporarily closed' : 'active');

/** A service's one-to-one fields, as the paginated list carries them. */
export function serviceListItem(g: PublicGroup) {
  return {
    id: g.uuid,
    name: g.name,
    description: g.summary,
    ...(g.contact.url && { url: g.contact.url }),
    ...(g.contact.email && { email: g.contact.email }),
    status: statusOf(g),
    last_modified: new Date(g.group.listing_changed_at ?? g.group.updated_at).toISOString(),
  };
}

/**
 * A public group as an Open Referral UK 3.0 service: its contact, its location with postcode, and
 * its schedule from today to its end (or a year ahead), one row per stretch between clock changes.
 */
export async function serviceOf(g: PublicGroup, now: number, baseUrl: string) {
  const zone = g.practice.timezone;
  const s = scheduleOf(g.group);
  const today = localDate(now, zone);
  const from = s.startDate > today ? s.startDate : today;
  const to = s.until ?? addDays(today, 365);
  const locationId = await uuidFor(`${baseUrl}|venue|${g.group.venue_id}`);
  const { street, town } = addressParts(g.venue.address);
  const monthly = s.frequency === 'monthly';
  const byday = s.weekdays.map((d) => `${monthly ? String(s.weekOfMonth) : ''}${BYDAY[d]}`).join(',');
  const segments = from > to ? [] : scheduleSegments(s, zone, from, to);
  return {
    ...serviceListItem(g),
    phones: g.contact.phone ? [{ id: await uuidFor(`${g.uuid}|phone`), number: g.contact.phone }] : [],
    contacts: [{ id: await uuidFor(`${g.uuid}|contact`), service_id: g.uuid, name: g.practice.name, title: 'Community Links Practitioner' }],
    schedules: await Promise.all(
      segments.map(async (seg) => ({
        id: await uuidFor(`${g.uuid}|schedule|${seg.validFrom}`),
        service_id: g.uuid,
        valid_from: seg.validFrom,
        valid_to: seg.validTo,
        dtstart: s.startDate,
        freq: monthly ? 'MONTHLY' : 'WEEKLY',
        interval: s.frequency === 'fortnightly' ? 2 : 1,
        byday,
        opens_at: seg.opensAt,
        closes_at: seg.closesAt,
        description: scheduleWords(s),
        attending_type: 'in_person',
      })),
    ),
    service_at_locations: [
      {
        id: await uuidFor(`${g.uuid}|at|${locationId}`),
        service_id: g.uuid,
        location_id: locationId,
        location: {
          id: locationId,
          location_type: 'physical',
          name: g.venue.name,
          ...(g.venue.meetingPoint && { description: `Meet at ${g.venue.meetingPoint}` }),
          addresses: [
            {
              id: await uuidFor(`${locationId}|address`),
              location_id: locationId,
              address_1: street,
              city: town ?? '',
              state_province: town ?? '',
              postal_code: g.venue.postcode,
              country: 'GB',
              address_type: 'physical',
            },
          ],
          ...(g.venue.accessibility && {
            accessibility: [{ id: await uuidFor(`${locationId}|access`), location_id: locationId, description: g.venue.accessibility }],
          }),
        },
      },
    ],
    organization_id: await uuidFor(`${baseUrl}|practice|${g.practice.id}`),
    organization: { id: await uuidFor(`${baseUrl}|practice|${g.practice.id}`), name: g.practice.name, description: `GP practice: ${g.practice.name}` },
  };
}

/** One page of the service list, in Open Referral UK's paged shape. */
export function servicesPage(all: PublicGroup[], page: number, perPage: number) {
  const contents = all.slice((page - 1) * perPage, page * perPage).map(serviceListItem);
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  return {
    total_items: all.length,
    total_pages: pages,
    page_number: page,
    page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= pages,
    empty: contents.length === 0,
    contents,
  };
}
