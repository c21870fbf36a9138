import { sql } from 'kysely';
import type { CalendarFeed, Db } from '../db/schema.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time/time.js';

/** Staff see 90 days back and a year ahead. */
const DAYS_BACK = 90;
const DAYS_AHEAD = 365;

export interface FeedWindow {
  from: number;
  to: number;
  today: string;
  /** When today began locally: the window last moved then. */
  dayStart: number;
}

export function feedWindow(now: number, zone: string): FeedWindow {
  // The window moves once a day: worked out once a minute per zone, not on every poll.
  const minute = Math.floor(now / 60_000);
  const known = windows.get(zone);
  if (known?.minute === minute) return known.window;
  const today = localDate(now, zone);
  const window = {
    today,
    dayStart: startOfLocalDate(today, zone),
    from: startOfLocalDate(addDays(today, -DAYS_BACK), zone),
    to: startOfLocalDate(addDays(today, DAYS_AHEAD + 1), zone),
  };
  windows.set(zone, { minute, window });
  return window;
}

const windows = new Map<string, { minute: number; window: FeedWindow }>();

function scopeFilter(feed: CalendarFeed) {
  if (feed.scope === 'group') return sql`AND s.group_id = ${feed.group_id}`;
  if (feed.scope === 'facilitator') return sql`AND s.group_id IN (SELECT group_id FROM group_facilitators WHERE user_id = ${feed.user_id})`;
  return sql``;
}

/**
 * What a feed shows changes only when its practice's data_version does (bumped by triggers on
 * every table a feed reads) or when the window moves to a new day. One row read answers
 * If-None-Match and decides whether the cached text can be reused.
 */
/** What a feed's body depends on: the feed, the day its window starts from and the practice's data. */
export function feedVersion(feed: CalendarFeed, w: FeedWindow, dataVersion: number): string {
  return [feed.id, feed.name, w.today, dataVersion].join('|');
}

/** When the data behind a feed last changed, for Last-Modified: read once per version, on a render. */
export async function feedLastModified(db: Db, feed: CalendarFeed, w: FeedWindow): Promise<number> {
  const pid = feed.practice_id;
  const row = (
    await sql<{ su: number | null; gu: number | null; vu: number | null; eu: number | null; uu: number | null }>`
      SELECT (SELECT max(updated_at) FROM sessions WHERE practice_id = ${pid}) AS su,
        (SELECT max(updated_at) FROM community_groups WHERE practice_id = ${pid}) AS gu,
        (SELECT max(updated_at) FROM venues WHERE practice_id = ${pid}) AS vu,
        (SELECT max(updated_at) FROM enrolments WHERE practice_id = ${pid}) AS eu,
        (SELECT max(u.updated_at) FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.practice_id = ${pid}) AS uu
      FROM practices WHERE id = ${pid}`.execute(db)
  ).rows[0]!;
  // The window moves at local midnight, bringing sessions in and out: that is a change too.
  return Math.max(feed.created_at, w.dayStart, row.su ?? 0, row.gu ?? 0, row.vu ?? 0, row.eu ?? 0, row.uu ?? 0);
}

export interface FeedSession {
  id: number;
  /** Never given to another event, even after this session is deleted. */
  uid: string;
  starts_at: number;
  ends_at: number;
  status: 'scheduled' | 'cancelled';
  cancel_reason: string | null;
  sequence: number;
  updated_at: number;
  group_id: number;
  group_name: string;
  group_description: string | null;
  group_updated_at: number;
  capacity: number | null;
  venue_name: string;
  venue_address: string | null;
  meeting_point: string | null;
  venue_updated_at: number;
  places_taken: number;
  waiting: number;
  facilitators: string | null;
}

/** The sessions a feed shows, with only group, venue and facilitator details: never a patient's. */
export async function feedSessions(db: Db, feed: CalendarFeed, w: FeedWindow): Promise<FeedSession[]> {
  const res = await sql<FeedSession>`
    SELECT s.id, coalesce(s.uid, 'session-' || s.id) AS uid, s.starts_at, s.ends_at, s.status, s.cancel_reason, s.sequence, s.updated_at, s.group_id,
      g.name AS group_name, g.description AS group_description, g.updated_at AS group_updated_at, g.capacity,
      v.name AS venue_name, v.address AS venue_address, v.meeting_point, v.updated_at AS venue_updated_at,
      coalesce(ec.active, 0) AS places_taken, coalesce(ec.waiting, 0) AS waiting, fac.names AS facilitators
    FROM sessions s
    JOIN community_groups g ON g.id = s.group_id
    JOIN venues v ON v.id = s.venue_id
    LEFT JOIN (
      SELECT group_id, sum(status = 'active') AS active, sum(status = 'waitlisted') AS waiting
      FROM enrolments WHERE practice_id = ${feed.practice_id} GROUP BY group_id
    ) ec ON ec.group_id = s.group_id
    LEFT JOIN (
      SELECT f.group_id, group_concat(u.name, ', ') AS names FROM group_facilitators f JOIN users u ON u.id = f.user_id GROUP BY f.group_id
    ) fac ON fac.group_id = s.group_id
    WHERE s.practice_id = ${feed.practice_id} AND s.starts_at >= ${w.from} AND s.starts_at < ${w.to} ${scopeFilter(feed)}
    ORDER BY s.starts_at, s.id`.execute(db);
  return res.rows;
}
