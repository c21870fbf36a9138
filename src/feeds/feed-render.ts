import { vtimezone } from './vtimezones.js';
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import type { FeedSession } from './feed-data.js';
import { foldLines } from './fold-lines.js';
import { isRepeatedLocalTime } from '../lib/time/time.js';

export interface FeedMeta {
  name: string;
  zone: string;
  /** Host part of UIDs, so they stay stable across restarts and unique across installations. */
  uidDomain: string;
  now: number;
  /** A public feed (what's on): no places taken, no facilitators, no cancellation reasons. */
  public?: boolean;
}

const PRODUCT = { company: 'Community Links Groups', product: 'Group sessions', language: 'EN' };

function describe(s: FeedSession, open = false): string {
  const lines: string[] = [];
  if (s.status === 'cancelled') lines.push(`CANCELLED${s.cancel_reason && !open ? `: ${s.cancel_reason}` : ''}`);
  if (s.facilitators && !open) lines.push(`Facilitator: ${s.facilitators}`);
  if (!open)
    lines.push(
      s.capacity === null
        ? `Drop-in group: ${s.places_taken} enrolled`
        : `Places taken: ${s.places_taken} of ${s.capacity}${s.waiting ? ` (${s.waiting} waiting)` : ''}`,
    );
  if (s.meeting_point) lines.push(`Meet at: ${s.meeting_point}`);
  if (s.group_description) lines.push('', s.group_description);
  return lines.join('\n');
}

/**
 * Builds the feed with ical-generator. Events use luxon times with their own TZID, so the
 * output does not depend on the process's TZ and DTSTAMP / LAST-MODIFIED stay in UTC
 * (FACTS.md: the calendar-level zone makes both local and drops the Z). The library formats and
 * escapes every event; only the final line folding is ours, as the library's costs ~90% of a render.
 */
/** RFC 5545 TEXT escaping for calendar-level names, which ical-generator writes as given. */
export function escapeIcalText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A local time that happens twice (the October change): parsers disagree on which one TZID means.
 * Clocks go back in the small hours (01:00-02:00 in Europe/London), so only those are checked:
 * the check costs two zone lookups, and a feed of daytime groups should not pay for it per event.
 */
function ambiguous(dt: DateTime): boolean {
  return dt.hour < 4 && isRepeatedLocalTime(dt);
}

export function renderFeed(meta: FeedMeta, sessions: FeedSession[]): string {
  const cal = ical({ prodId: PRODUCT, name: escapeIcalText(meta.name), ttl: 3600, timezone: { name: null, generator: vtimezone } });
  for (const s of sessions) {
    const cancelled = s.status === 'cancelled';
    // Without METHOD, DTSTAMP is when the event last changed (RFC 5545 3.8.7.2): a poll changes nothing.
    const changed = new Date(Math.max(s.updated_at, s.group_updated_at, s.venue_updated_at));
    const start = DateTime.fromMillis(s.starts_at, { zone: meta.zone });
    const end = DateTime.fromMillis(s.ends_at, { zone: meta.zone });
    // RFC 5545 means the first of a repeated local time, but some parsers (ical.js) take the second:
    // such an event is written in UTC, which every parser reads the same way.
    const utc = ambiguous(start) || ambiguous(end);
    cal.createEvent({
      id: `${s.uid}@${meta.uidDomain}`,
      sequence: s.sequence,
      ...(utc ? { start: new Date(s.starts_at), end: new Date(s.ends_at) } : { timezone: meta.zone, start, end }),
      stamp: changed,
      lastModified: changed,
      // Some clients ignore STATUS:CANCELLED, so the summary says it too.
      summary: cancelled ? `Cancelled: ${s.group_name}` : s.group_name,
      location: [s.venue_name, s.venue_address].filter(Boolean).join(', '),
      description: describe(s, meta.public),
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  const events = cal
    .events()
    .map((e) => e.toString())
    .join('');
  // The shell (VTIMEZONE, refresh hints) is the library's own folded output.
  cal.clear();
  cal.timezone({ name: meta.zone, generator: vtimezone });
  // TIMEZONE-ID is not a registered property: libical logs a parse error for it on every feed.
  // X-WR-TIMEZONE makes Google-style readers (x-wr-timezone) move our UTC times into the zone's
  // wall clock: the 01:30 BST event of the October change night, written in UTC, read an hour late.
  // Every event names its TZID or is UTC, so the calendar-level zone adds nothing.
  // NAME and X-WR-CALNAME say VALUE=TEXT: ical.js (Thunderbird) reads a property it does not know
  // raw ("Walks\\, yoga") unless told its type, and vobject cuts an unescaped one at the comma.
  // The library folds by characters (a long Arabic name ran to 84 octets) and the parameter added
  // here lengthens the line: so the shell is unfolded and folded again by octets, with the events.
  const shell = cal
    .toString()
    .replace(/\r\n[ \t]/g, '')
    .replace(/^(?:TIMEZONE-ID|X-WR-TIMEZONE):.*\r\n/gm, '')
    .replace(/^(NAME|X-WR-CALNAME):/gm, '$1;VALUE=TEXT:');
  return foldLines(shell.replace(/END:VCALENDAR(\r\n)?$/, `${events}END:VCALENDAR\r\n`));
}
