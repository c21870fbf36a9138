import { sql } from 'kysely';
import { jsonTable } from '../../db/json-table.js';
import type { Db } from '../../db/schema.js';
import { GP_MIN_AFTER_DAYS } from '../figures.js';
import { offsetIntervals, dayNumber } from '../zone-intervals.js';
import type { Bounds } from '../period-bounds.js';
import { type ImpactRange, type ImpactPractice } from './impact-report.js';

/**
 * For people who came to 3 or more sessions and carry a CHI number: appointments in the 12 months
 * before their first session, against the months after it, annualised. One query in whole days:
 * a period that straddles a boundary is shared out by days, and the first session's local date
 * comes from each zone's UTC offsets over the period, passed in as a small table.
 */
export async function gpChanges(
  db: Db,
  b: ReturnType<typeof sql>,
  practices: ImpactPractice[],
  bounds: Map<number, Bounds>,
  range: ImpactRange,
  paGroup: ReturnType<typeof sql>,
): Promise<Map<number, { before: number; after: number }[]>> {
  const zones = [...new Set(practices.map((p) => p.timezone))];
  const all = [...bounds.values()];
  const [earliest, latest] = [Math.min(...all.map((x) => x.start)), Math.max(...all.map((x) => x.end))];
  const offsets = zones.flatMap((zone, zi) =>
    offsetIntervals(zone, earliest - 2 * 86_400_000, latest + 2 * 86_400_000).map((i) => [zi, i.from, i.to, i.seconds]),
  );
  const heldDays = practices.map((p) => [p.id, zones.indexOf(p.timezone), dayNumber(bounds.get(p.id)!.heldDate)]);
  const rows = (
    await sql<{ practice_id: number; before: number; after: number }>`
      WITH ${b},
      ${jsonTable('zone_of', ['pid', 'zi', 'held_day'], heldDays)},
      ${jsonTable('tz', ['zi', 'a', 'z', 'off'], offsets)},
      people AS (
        SELECT pa.practice_id AS pid, p.chi_number AS chi, min(pa.first_at) AS first_at
        FROM b JOIN participation pa ON pa.practice_id = b.pid JOIN participants p ON p.id = pa.participant_id
        WHERE p.chi_number IS NOT NULL ${paGroup}
        GROUP BY pa.participant_id HAVING sum(pa.attended) >= 3),
      dated AS MATERIALIZED (
        SELECT people.pid, people.chi, zone_of.held_day,
          -- Bound numbers arrive as REAL: whole days need an explicit CAST.
          CAST((people.first_at / 1000 + (SELECT off FROM tz WHERE tz.zi = zone_of.zi AND people.first_at >= tz.a AND people.first_at < tz.z)) / 86400 AS INTEGER) AS f
        FROM people JOIN zone_of ON zone_of.pid = people.pid),
      rows AS (
        SELECT d.pid, d.chi, d.f, d.held_day, g.appointments AS n, g.from_day, g.to_day
        FROM dated d JOIN gp_appointments g ON g.practice_id = d.pid AND g.chi_number = d.chi
        WHERE d.f >= ${dayNumber(range.from)} AND d.f <= ${dayNumber(range.to)})
      -- "After" runs to the person's last day of data, or the end of the period if sooner; every
      -- row ends on or before that last day, so capping a row at the period's end is the same cap.
      SELECT pid AS practice_id,
        sum(n * max(0, min(to_day, f - 1) - max(from_day, f - 365) + 1) * 1.0 / (to_day - from_day + 1)) AS before,
        sum(n * max(0, min(to_day, held_day) - max(from_day, f) + 1) * 1.0 / (to_day - from_day + 1)) * 365.0 / (min(max(to_day), held_day) - f + 1) AS after
      FROM rows
      GROUP BY pid, chi
      HAVING sum(to_day >= f - 365 AND from_day <= f - 1) > 0 AND min(max(to_day), held_day) - f + 1 >= ${GP_MIN_AFTER_DAYS}`.execute(db)
  ).rows;
  const out = new Map<number, { before: number; after: number }[]>();
  for (const r of rows) {
    const list = out.get(Number(r.practice_id)) ?? [];
    list.push({ before: Number(r.before), after: Number(r.after) });
    out.set(Number(r.practice_id), list);
  }
  return out;
}
