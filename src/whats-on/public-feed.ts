import { renderFeed } from '../feeds/feed-render.js';
import type { PublicGroup, PublicSession } from './public-listing.js';

/**
 * A public group's calendar: the staff feed's renderer, given only what the public may read (no
 * places taken, no waiting list, no leaders), with UIDs of their own so a public copy and a
 * practice's copy of a session never merge in someone's calendar.
 */
export function publicFeed(g: PublicGroup, sessions: PublicSession[], now: number, uidDomain: string): string {
  const meta = { name: g.name, zone: g.practice.timezone, uidDomain, now, public: true };
  return renderFeed(
    meta,
    sessions.map((s) => ({
      id: 0,
      uid: `public-${s.uid}`,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      status: s.status,
      cancel_reason: null,
      sequence: s.sequence,
      updated_at: s.updatedAt,
      group_id: g.id,
      group_name: g.name,
      group_description: g.summary,
      group_updated_at: g.group.updated_at,
      capacity: null,
      venue_name: g.venue.name,
      venue_address: `${g.venue.address.replace(/\r?\n/g, ', ')}, ${g.venue.postcode}`,
      meeting_point: g.venue.meetingPoint,
      venue_updated_at: 0,
      places_taken: 0,
      waiting: 0,
      facilitators: null,
    })),
  );
}
