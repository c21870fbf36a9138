import { sql } from 'kysely';
import type { Db } from '../../db/schema.js';
import { localDate } from '../../lib/time/time.js';
import { periodBounds } from '../period-bounds.js';
import { dayNumber } from '../zone-intervals.js';
import { FOLLOW_UP_EARLIEST_DAYS } from '../../outcomes/outcomes-service.js';
import { GP_MIN_AFTER_DAYS } from '../figures.js';
import type { PersonDose } from './dose-bands.js';

export interface DosePractice {
  id: number;
  timezone: string;
}

type Range = { from: string; to: string; groupId?: number };

/** Someone given a place, by participant: `elsewhere` when another practice holds their CHI number (they may be one person across the two). */
export interface PlacedPerson extends PersonDose {
  participantId: number;
  elsewhere: boolean;
}
type Measure = 'swemwbs' | 'ons4' | 'happiness';

/** One practice's people by dose: the programme's reading of many, for one. */
export async function peopleByDose(db: Db, practice: DosePractice, now: number, range: Range): Promise<PlacedPerson[]> {
  return (await peopleByDoseIn(db, [practice], now, range)).get(practice.id) ?? [];
}

/**
 * Everyone given a place in the period's groups (enrolled at some point of the period), with the
 * sessions they attended there in the period and their paired measures, for any number of
 * practices in six queries: each practice's bounds travel as one JSON table, so a programme of a
 * thousand practices costs what one does in queries (D1 counts them) and parameters (D1 takes 100).
 */
export async function peopleByDoseIn(db: Db, practices: DosePractice[], now: number, range: Range): Promise<Map<number, PlacedPerson[]>> {
  const out = new Map<number, PlacedPerson[]>();
  if (practices.length === 0) return out;
  const zoneOf = new Map(practices.map((p) => [p.id, p.timezone]));
  const { b } = periodBounds(practices, range, now);
  const g = range.groupId;
  const placedIn = g === undefined ? sql`` : sql`AND e.group_id = ${g}`;
  // Driven from the people placed, never from the practices' table: a lookup in that table for each
  // outcome or appointment row would cost people × practices.
  const placed = sql`placed AS MATERIALIZED (
      SELECT e.practice_id, e.participant_id, min(e.enrolled_at) AS given_at, max(b.held_date) AS held_date FROM b JOIN enrolments e ON e.practice_id = b.pid
      WHERE e.enrolled_at IS NOT NULL AND e.enrolled_at < b.fin AND (e.withdrawn_at IS NULL OR e.withdrawn_at >= b.start) ${placedIn}
      GROUP BY e.practice_id, e.participant_id)`;
  const people = (
    await sql<{ practice_id: number; participant_id: number; given_at: number; chi_number: string | null; sessions: number; elsewhere: number }>`
      WITH ${b}, ${placed},
      ${came(g)}
      SELECT placed.practice_id, placed.participant_id, placed.given_at, p.chi_number, coalesce(came.n, 0) AS sessions,
        EXISTS (SELECT 1 FROM participants q WHERE q.chi_number = p.chi_number AND q.erased_at IS NULL AND q.practice_id <> p.practice_id) AS elsewhere
      FROM placed JOIN participants p ON p.id = placed.participant_id LEFT JOIN came ON came.participant_id = placed.participant_id`.execute(db)
  ).rows;
  if (people.length === 0) return out;
  // Each measure's pairs for everyone placed: the first taken by the end of the period, and the latest at least 8 weeks on.
  const pairs = async (measure: Measure, value: ReturnType<typeof sql>) =>
    new Map(
      (
        await sql<{ participant_id: number; baseline: unknown; follow_up: unknown }>`
          WITH ${b}, ${placed},
          base AS (SELECT o.participant_id, min(o.taken_on) AS taken_on, max(placed.held_date) AS held_date
                   FROM placed CROSS JOIN outcomes o ON o.participant_id = placed.participant_id
                   WHERE o.measure = ${measure} AND o.taken_on <= placed.held_date
                   GROUP BY o.participant_id)
          SELECT base.participant_id,
            (SELECT ${value} FROM outcomes o WHERE o.participant_id = base.participant_id AND o.measure = ${measure} AND o.taken_on = base.taken_on ORDER BY o.id LIMIT 1) AS baseline,
            (SELECT ${value} FROM outcomes o WHERE o.participant_id = base.participant_id AND o.measure = ${measure}
               AND o.taken_on >= date(base.taken_on, ${`+${FOLLOW_UP_EARLIEST_DAYS} days`}) AND o.taken_on <= base.held_date
               ORDER BY o.taken_on DESC, o.id DESC LIMIT 1) AS follow_up
          FROM base`.execute(db)
      ).rows
        .filter((r) => r.follow_up !== null && r.baseline !== null)
        .map((r) => [Number(r.participant_id), r] as const),
    );
  const swemwbs = await pairs('swemwbs', sql`o.metric_score`);
  const ons4 = await pairs('ons4', sql`o.answers`);
  const happiness = await pairs('happiness', sql`o.raw_score`);
  const gp = await gpYears(db, b, placed, people, zoneOf);
  for (const p of people) {
    const sw = swemwbs.get(p.participant_id);
    const on = ons4.get(p.participant_id);
    const hp = happiness.get(p.participant_id);
    const list = out.get(Number(p.practice_id)) ?? [];
    list.push({
      participantId: Number(p.participant_id),
      elsewhere: Boolean(p.elsewhere),
      sessions: Number(p.sessions),
      swemwbs: sw ? { baseline: Number(sw.baseline), followUp: Number(sw.follow_up) } : null,
      ons4: on ? { baseline: JSON.parse(String(on.baseline)) as number[], followUp: JSON.parse(String(on.follow_up)) as number[] } : null,
      happiness: hp ? { baseline: Number(hp.baseline), followUp: Number(hp.follow_up) } : null,
      gp: gp.get(p.participant_id) ?? null,
    });
    out.set(Number(p.practice_id), list);
  }
  return out;
}

/**
 * Each person's sessions attended in the period (`came`), from their count in each group
 * (participation, kept by triggers). Only for someone whose sessions there begin before the
 * period or end after it are marks counted: those outside the period taken off, or those inside
 * counted, whichever is the shorter stretch of the group's sessions.
 */
function came(groupId: number | undefined) {
  const inGroup = groupId === undefined ? sql`` : sql`AND pp.group_id = ${groupId}`;
  return sql`came AS MATERIALIZED (
        SELECT pp.participant_id, sum(CASE
            WHEN pp.first_at >= b.start AND pp.last_at < b.held THEN pp.attended
            WHEN pp.last_at < b.start OR pp.first_at >= b.held THEN 0
            WHEN max(0, b.start - pp.first_at) + max(0, pp.last_at - b.held) < min(pp.last_at, b.held) - max(pp.first_at, b.start)
            THEN pp.attended - (SELECT count(*) FROM sessions s JOIN attendance a ON a.session_id = s.id
                  WHERE s.group_id = pp.group_id AND s.status = 'scheduled' AND a.participant_id = pp.participant_id AND a.status IN ('present', 'late')
                    AND ((s.starts_at >= pp.first_at AND s.starts_at < b.start) OR (s.starts_at >= b.held AND s.starts_at <= pp.last_at)))
            ELSE (SELECT count(*) FROM sessions s JOIN attendance a ON a.session_id = s.id
                  WHERE s.group_id = pp.group_id AND s.status = 'scheduled' AND a.participant_id = pp.participant_id AND a.status IN ('present', 'late')
                    AND s.starts_at >= b.start AND s.starts_at < b.held) END) AS n
        FROM b JOIN participation pp ON pp.practice_id = b.pid
        WHERE true ${inGroup}
        GROUP BY pp.participant_id)`;
}

/**
 * GP appointments a year before someone was given a place, and from it to the end of the data (at
 * least GP_MIN_AFTER_DAYS), scaled to a year. The practice's export gives counts over periods: a
 * period that straddles the day they were given a place is shared out by days.
 */
async function gpYears(
  db: Db,
  b: ReturnType<typeof periodBounds>['b'],
  placed: ReturnType<typeof sql>,
  people: { practice_id: number; participant_id: number; given_at: number; chi_number: string | null }[],
  zoneOf: Map<number, string>,
): Promise<Map<number, { before: number; after: number }>> {
  const out = new Map<number, { before: number; after: number }>();
  if (!people.some((p) => p.chi_number)) return out;
  const rows = (
    await sql<{ practice_id: number; chi_number: string; from_day: number; to_day: number; appointments: number; held_date: string }>`
      WITH ${b}, ${placed}
      SELECT g.practice_id, g.chi_number, g.from_day, g.to_day, g.appointments, placed.held_date
      FROM placed CROSS JOIN participants p ON p.id = placed.participant_id
      CROSS JOIN gp_appointments g ON g.practice_id = placed.practice_id AND g.chi_number = p.chi_number
      WHERE p.chi_number IS NOT NULL`.execute(db)
  ).rows;
  const byChi = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = `${r.practice_id}|${r.chi_number}`;
    byChi.set(k, [...(byChi.get(k) ?? []), r]);
  }
  for (const p of people) {
    const data = p.chi_number ? (byChi.get(`${p.practice_id}|${p.chi_number}`) ?? []) : [];
    if (data.length === 0) continue;
    const f = dayNumber(localDate(p.given_at, zoneOf.get(Number(p.practice_id))!));
    const heldDay = dayNumber(data[0]!.held_date);
    const share = (from: number, to: number) =>
      data.reduce((n, r) => n + (r.appointments * Math.max(0, Math.min(r.to_day, to) - Math.max(r.from_day, from) + 1)) / (r.to_day - r.from_day + 1), 0);
    const lastDay = Math.min(Math.max(...data.map((r) => r.to_day)), heldDay, f + 364);
    const afterDays = lastDay - f + 1;
    const hasBefore = data.some((r) => r.to_day >= f - 365 && r.from_day <= f - 1);
    if (!hasBefore || afterDays < GP_MIN_AFTER_DAYS) continue;
    out.set(p.participant_id, { before: share(f - 365, f - 1), after: (share(f, lastDay) * 365) / afterDays });
  }
  return out;
}
