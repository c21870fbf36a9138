import { sql } from 'kysely';
import type { Db } from '../../db/schema.js';
import { jsonTable } from '../../db/json-table.js';
import { addDays, localDate, startOfLocalDate } from '../../lib/time/time.js';
import { weeksLater } from '../figures.js';
import type { Bounds } from '../period-bounds.js';

/**
 * Until when figures worked out at `now` for a period still running stay true by the clock alone,
 * a practice at a time. The reports read the clock in three ways: sessions count once they have
 * started (checked when the figures are read: a session added since is caught too), measures and
 * GP data count to the practice's day, and retention counts someone at 4 and 12 weeks after their
 * first session. So: the practice's next midnight, the next 4th or 12th week after any of its
 * sessions in the period (a superset of people's first sessions), or the period's end.
 */
export async function trueUntil(db: Db, practices: readonly { id: number; timezone: string }[], bounds: Map<number, Bounds>, now: number) {
  const midnights = new Map<string, number>();
  const rows = practices.map((p) => {
    let midnight = midnights.get(p.timezone);
    if (midnight === undefined) midnights.set(p.timezone, (midnight = startOfLocalDate(addDays(localDate(now, p.timezone), 1), p.timezone)));
    const b = bounds.get(p.id)!;
    return [p.id, b.start, Math.min(b.end, midnight)];
  });
  const [span4, span12] = [weeksLater(4), weeksLater(12)];
  // Each anniversary is one seek on sessions(practice_id, starts_at): the first session late enough.
  const next = (span: number) =>
    sql`(SELECT min(s.starts_at) FROM sessions s WHERE s.practice_id = u.pid AND s.starts_at >= max(u.start, ${now - span})) + ${span}`;
  const found = await sql<{ pid: number; until: number }>`
    WITH ${jsonTable('u', ['pid', 'start', 'until'], rows)}
    SELECT u.pid, min(u.until, coalesce(${next(span4)}, u.until), coalesce(${next(span12)}, u.until)) AS until FROM u`.execute(db);
  return new Map(found.rows.map((r) => [Number(r.pid), Number(r.until)]));
}

/**
 * Whether kept figures `k` are still true at `now`: a period that is over always (its version
 * decides), a running one before its `valid_until` and while none of the practice's sessions has
 * started since they were worked out.
 */
export const stillTrue = (now: number) => sql<boolean>`(k.valid_until IS NULL OR (${now} < k.valid_until AND NOT EXISTS (
    SELECT 1 FROM sessions s WHERE s.practice_id = k.practice_id AND s.starts_at >= k.worked_at AND s.starts_at < ${now})))`;
