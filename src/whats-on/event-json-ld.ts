import { toZonedIso } from '../lib/time/time.js';
import type { PublicGroup, PublicSession } from './public-listing.js';
import { addressParts } from './public-words.js';

/**
 * One session as a schema.org Event, as search engines read it: start and end with the offset in
 * force, a Place with a PostalAddress, and whether it is on, cancelled, or moved (with where it was).
 */
export function eventJsonLd(g: PublicGroup, s: PublicSession, pageUrl: string) {
  const zone = g.practice.timezone;
  const { street, town } = addressParts(g.venue.address);
  const status = s.status === 'cancelled' ? 'EventCancelled' : s.previousStartsAt !== null ? 'EventRescheduled' : 'EventScheduled';
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: g.name,
    description: g.summary,
    startDate: toZonedIso(s.startsAt, zone),
    endDate: toZonedIso(s.endsAt, zone),
    eventStatus: `https://schema.org/${status}`,
    ...(status === 'EventRescheduled' && { previousStartDate: toZonedIso(s.previousStartsAt!, zone) }),
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    isAccessibleForFree: true,
    location: {
      '@type': 'Place',
      name: g.venue.name,
      address: {
        '@type': 'PostalAddress',
        streetAddress: street,
        ...(town && { addressLocality: town }),
        postalCode: g.venue.postcode,
        addressCountry: 'GB',
      },
    },
    organizer: { '@type': 'Organization', name: g.practice.name, url: pageUrl },
    url: pageUrl,
  };
}

/** JSON inside a <script> element: "</" is written "<\/" so no value can close the element. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
