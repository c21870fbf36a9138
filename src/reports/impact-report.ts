import { sql } from 'kysely';
import type { z } from 'zod';
import type { ImpactReportDto } from './report-schemas.js';
import { DateTime } from 'luxon';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { invalid } from '../lib/errors.js';
import { round } from '../lib/numbers.js';
import { GP_MIN_AFTER_DAYS, overFive, suppress, weeksLater } from './figures.js';
import { addDays, localDate, startOfLocalDate, toZonedIso } from '../lib/time.js';
import { bandFigures, peopleByDose } from './dose-bands.js';
import { FOLLOW_UP_EARLIEST_DAYS } from '../outcomes/outcomes-service.js';
import { ONS4_ITEMS, SWEMWBS_MEANINGFUL_CHANGE } from '../outcomes/wellbeing-scores.js';

export interface ImpactRange {
  from: string;
  to: string;
  groupId?: number;
}

const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

const METHODS = {
  funnel:
    'Counts people, each once: those referred to a group (an enrolment requested) in the period; of them, those given a place, and those marked present or late at least once, and at least three times, to date.',
  attendance:
    'Counts places (one person at one session), not people: present or late, over everyone marked present, late or absent at sessions held in the period. Apologies are counted apart and kept out of the rate; the unnamed headcount is not in it either.',
  retention:
    'Counts people: of those whose first session in a group fell in the period and began at least 4 (or 12) weeks before its end, the share marked present or late at a session of that group 4 (or 12) weeks or more after their first.',
  swemwbs: `People whose first SWEMWBS (the baseline) was taken in the period and who have a later one at least 8 weeks on (the follow-up: the latest). Scores are metric scores from the published conversion table; a meaningful improvement is a rise of ${SWEMWBS_MEANINGFUL_CHANGE} or more.`,
  ons4: 'The same pairing for ONS4: the mean change in each answer (0-10). For anxiety a fall is an improvement.',
  gp: `People whose first session fell in the period, who came to 3 or more sessions and whose CHI number matches the practice's appointment export: appointments in the 12 months before their first session, against those from it to the end of the data (at least ${GP_MIN_AFTER_DAYS} days), scaled to a year. A period that straddles a boundary is shared out by days.`,
};

export interface ImpactPractice {
  id: number;
  timezone: string;
  attendance_threshold: number;
}

/** One practice's period as instants in its own zone. */
interface Bounds {
  start: number;
  end: number;
  held: number;
  heldDate: string;
}

/**
 * What changed for people, for funders: who was reached (the funnel), how much they took part
 * (attendance, retention), and what changed (wellbeing, GP appointments), each figure with the
 * line that says how it was computed. Worked out for any number of practices at once, each
 * section one grouped query over trigger-kept summaries, so the programme's report over years of
 * registers costs a handful of queries, not one report per practice.
 */
export async function impactFigures(db: Db, practices: ImpactPractice[], now: number, range: ImpactRange) {
  if (range.to < range.from) throw invalid('"to" must not be before "from"');
  const out = new Map<number, ImpactSections>();
  if (practices.length === 0) return out;
  const bounds = new Map<number, Bounds>();
  for (const p of practices) {
    const start = startOfLocalDate(range.from, p.timezone);
    const end = startOfLocalDate(addDays(range.to, 1), p.timezone);
    const held = Math.min(end, now);
    bounds.set(p.id, { start, end, held, heldDate: localDate(held - 1, p.timezone) });
  }
  const b = sql`b(pid, start, fin, held, held_date) AS (VALUES ${sql.join(
    practices.map((p) => {
      const x = bounds.get(p.id)!;
      return sql`(${p.id}, ${x.start}, ${x.end}, ${x.held}, ${x.heldDate})`;
    }),
  )})`;
  const g = range.groupId;
  const groupOnly = g === undefined ? sql`` : sql`AND g.id = ${g}`;
  const paGroup = g === undefined ? sql`` : sql`AND pa.group_id = ${g}`;
  const enrolGroup = g === undefined ? sql`` : sql`AND e.group_id = ${g}`;
  const outcomeGroup = g === undefined ? sql`` : sql`AND o.participant_id IN (SELECT participant_id FROM enrolments WHERE group_id = ${g})`;
  const byPractice = <T extends { practice_id: number }>(rows: T[]) => new Map(rows.map((r) => [Number(r.practice_id), r]));

  const funnel = byPractice(
    (
      await sql<{ practice_id: number; referred: number; enrolled: number; once: number; three: number }>`
        WITH ${b},
        ref AS (SELECT e.practice_id, e.participant_id, max(e.enrolled_at IS NOT NULL) AS enrolled FROM enrolments e JOIN b ON b.pid = e.practice_id
                WHERE e.requested_at >= b.start AND e.requested_at < b.fin ${enrolGroup} GROUP BY e.practice_id, e.participant_id),
        att AS (SELECT pa.participant_id, sum(pa.attended) AS n FROM participation pa WHERE pa.participant_id IN (SELECT participant_id FROM ref) ${paGroup} GROUP BY pa.participant_id)
        SELECT ref.practice_id, count(*) AS referred, sum(ref.enrolled) AS enrolled, sum(coalesce(att.n, 0) >= 1) AS once, sum(coalesce(att.n, 0) >= 3) AS three
        FROM ref LEFT JOIN att ON att.participant_id = ref.participant_id GROUP BY ref.practice_id`.execute(db)
    ).rows,
  );
  // Sessions held per group, and their marks: driven group by group (in id order, so grouping needs
  // no sort of 400,000 rows) through covering indexes; the marks carry their session's group, time
  // and status, so no session is visited twice.
  type GroupFigures = {
    practice_id: number;
    group_id: number;
    sessions: number;
    present: number;
    late: number;
    absent: number;
    apologies: number;
    headcount: number;
  };
  const held = (
    await sql<{ practice_id: number; group_id: number; sessions: number; headcount: number }>`
      WITH ${b}
      SELECT g.practice_id, g.id AS group_id, count(*) AS sessions, coalesce(sum(s.headcount), 0) AS headcount
      FROM community_groups g JOIN b ON b.pid = g.practice_id
      JOIN sessions s INDEXED BY sessions_group_report ON s.group_id = g.id AND s.status = 'scheduled' AND s.starts_at >= b.start AND s.starts_at < b.held
      WHERE 1 ${groupOnly}
      GROUP BY g.id`.execute(db)
  ).rows;
  const markRows = (
    await sql<{ group_id: number; present: number; late: number; absent: number; apologies: number }>`
      WITH ${b}
      SELECT g.id AS group_id, sum(m.present) AS present, sum(m.late) AS late, sum(m.absent) AS absent, sum(m.apologies) AS apologies
      FROM community_groups g JOIN b ON b.pid = g.practice_id
      JOIN session_marks m INDEXED BY session_marks_group_report ON m.group_id = g.id AND m.status = 'scheduled' AND m.starts_at >= b.start AND m.starts_at < b.held
      WHERE 1 ${groupOnly}
      GROUP BY g.id`.execute(db)
  ).rows;
  const marksOf = new Map(markRows.map((m) => [Number(m.group_id), m]));
  const groups: GroupFigures[] = held.map((h) => {
    const m = marksOf.get(Number(h.group_id));
    return { ...h, present: Number(m?.present ?? 0), late: Number(m?.late ?? 0), absent: Number(m?.absent ?? 0), apologies: Number(m?.apologies ?? 0) };
  });
  const groupNames = new Map(
    groups.length
      ? (
          await db
            .selectFrom('community_groups')
            .select(['id', 'name'])
            .where(
              'id',
              'in',
              groups.map((x) => x.group_id),
            )
            .execute()
        ).map((x) => [x.id, x.name])
      : [],
  );
  const marks = new Map<number, { sessions: number; present: number; late: number; absent: number; apologies: number; headcount: number }>();
  for (const x of groups) {
    const t = marks.get(Number(x.practice_id)) ?? { sessions: 0, present: 0, late: 0, absent: 0, apologies: 0, headcount: 0 };
    for (const k of ['sessions', 'present', 'late', 'absent', 'apologies', 'headcount'] as const) t[k] += Number(x[k]);
    marks.set(Number(x.practice_id), t);
  }
  const [span4, span12] = [weeksLater(4), weeksLater(12)];
  const retention = byPractice(
    (
      await sql<{ practice_id: number; e4: number; r4: number; e12: number; r12: number }>`
        WITH ${b}
        SELECT pa.practice_id,
          coalesce(sum(pa.first_at + ${span4} <= b.held), 0) AS e4, coalesce(sum(pa.first_at + ${span4} <= b.held AND pa.last_at >= pa.first_at + ${span4}), 0) AS r4,
          coalesce(sum(pa.first_at + ${span12} <= b.held), 0) AS e12, coalesce(sum(pa.first_at + ${span12} <= b.held AND pa.last_at >= pa.first_at + ${span12}), 0) AS r12
        FROM b JOIN participation pa ON pa.practice_id = b.pid
        WHERE pa.first_at >= b.start AND pa.first_at < b.fin ${paGroup}
        GROUP BY pa.practice_id`.execute(db)
    ).rows,
  );
  // Baseline: the first measure; follow-up: the latest at least 8 weeks on (both by the end of the period).
  const pairs = (measure: 'swemwbs' | 'ons4', value: ReturnType<typeof sql>) => sql`
    WITH ${b},
    base AS (SELECT o.practice_id, o.participant_id, min(o.taken_on) AS taken_on FROM outcomes o JOIN b ON b.pid = o.practice_id
             WHERE o.measure = ${measure} AND o.taken_on <= b.held_date ${outcomeGroup} GROUP BY o.practice_id, o.participant_id)
    SELECT base.practice_id,
      (SELECT ${value} FROM outcomes o WHERE o.participant_id = base.participant_id AND o.measure = ${measure} AND o.taken_on = base.taken_on ORDER BY o.id LIMIT 1) AS baseline,
      (SELECT ${value} FROM outcomes o WHERE o.participant_id = base.participant_id AND o.measure = ${measure}
         AND o.taken_on >= date(base.taken_on, ${`+${FOLLOW_UP_EARLIEST_DAYS} days`}) AND o.taken_on <= b.held_date ORDER BY o.taken_on DESC, o.id DESC LIMIT 1) AS follow_up
    FROM base JOIN b ON b.pid = base.practice_id WHERE base.taken_on >= ${range.from} AND base.taken_on <= ${range.to}`;
  // SWEMWBS pairs summed per practice in SQL: a row per person would cost more to hand over than to add up.
  const swemwbs = byPractice(
    (
      await sql<{ practice_id: number; n: number; base: number; follow: number; change: number; improved: number }>`
        WITH p AS MATERIALIZED (${pairs('swemwbs', sql`o.metric_score`)})
        SELECT practice_id, count(*) AS n, avg(baseline) AS base, avg(follow_up) AS follow, avg(follow_up - baseline) AS change,
          sum(follow_up - baseline >= ${SWEMWBS_MEANINGFUL_CHANGE}) AS improved
        FROM p WHERE follow_up IS NOT NULL GROUP BY practice_id`.execute(db)
    ).rows,
  );
  const ons4 = new Map<number, { base: number[]; follow: number[] }[]>();
  for (const r of (await sql<{ practice_id: number; baseline: string; follow_up: string | null }>`${pairs('ons4', sql`o.answers`)}`.execute(db)).rows) {
    if (r.follow_up === null) continue;
    const list = ons4.get(Number(r.practice_id)) ?? [];
    list.push({ base: JSON.parse(r.baseline) as number[], follow: JSON.parse(r.follow_up) as number[] });
    ons4.set(Number(r.practice_id), list);
  }
  const gp = await gpChanges(db, b, practices, bounds, range, paGroup);
  for (const p of practices) {
    const f = funnel.get(p.id);
    const m = marks.get(p.id);
    const r = retention.get(p.id);
    const attended = Number(m?.present ?? 0) + Number(m?.late ?? 0);
    const marked = attended + Number(m?.absent ?? 0);
    const rate = (kept: number, eligible: number) => ({ eligible, retained: kept, rate: eligible ? round(kept / eligible) : null });
    const sw = swemwbs.get(p.id);
    const swN = Number(sw?.n ?? 0);
    const on = ons4.get(p.id) ?? [];
    const people = gp.get(p.id) ?? [];
    const threshold = Number(p.attendance_threshold);
    out.set(p.id, {
      period: { from: range.from, to: range.to },
      groupId: g ?? null,
      funnel: {
        referred: Number(f?.referred ?? 0),
        enrolled: Number(f?.enrolled ?? 0),
        attendedOnce: Number(f?.once ?? 0),
        attendedThreePlus: Number(f?.three ?? 0),
        method: METHODS.funnel,
      },
      attendance: {
        sessionsHeld: Number(m?.sessions ?? 0),
        attended,
        absent: Number(m?.absent ?? 0),
        apologies: Number(m?.apologies ?? 0),
        unnamedHeadcount: Number(m?.headcount ?? 0),
        rate: marked > 0 ? round(attended / marked) : null,
        method: METHODS.attendance,
      },
      retention: { weeks4: rate(Number(r?.r4 ?? 0), Number(r?.e4 ?? 0)), weeks12: rate(Number(r?.r12 ?? 0), Number(r?.e12 ?? 0)), method: METHODS.retention },
      wellbeing: {
        swemwbs: {
          n: swN,
          meanBaseline: swN ? round(Number(sw!.base)) : null,
          meanFollowUp: swN ? round(Number(sw!.follow)) : null,
          meanChange: swN ? round(Number(sw!.change)) : null,
          improvedMeaningfully: swN ? round(Number(sw!.improved) / swN) : null,
          method: METHODS.swemwbs,
        },
        ons4: {
          n: on.length,
          meanChange: Object.fromEntries(ONS4_ITEMS.map((item, i) => [item, mean(on.map((x) => x.follow[i]! - x.base[i]!))])) as Record<
            (typeof ONS4_ITEMS)[number],
            number | null
          >,
          method: METHODS.ons4,
        },
      },
      gpAppointments: {
        n: people.length,
        totalBefore: round(
          people.reduce((n, x) => n + x.before, 0),
          1,
        ),
        totalAfterAnnualised: round(
          people.reduce((n, x) => n + x.after, 0),
          1,
        ),
        medianChange: median(people.map((x) => x.after - x.before)),
        method: METHODS.gp,
      },
      belowThreshold: {
        threshold,
        groups: groups
          .filter((x) => Number(x.practice_id) === p.id)
          .map((x) => ({
            groupId: x.group_id,
            name: groupNames.get(x.group_id) ?? '',
            came: Number(x.present) + Number(x.late),
            marked: Number(x.present) + Number(x.late) + Number(x.absent),
          }))
          .filter((x) => x.marked > 0 && x.came / x.marked < threshold)
          .sort((x, y) => x.name.localeCompare(y.name))
          .map((x) => ({ groupId: x.groupId, name: x.name, rate: round(x.came / x.marked) })),
        method: `Groups whose attendance rate (as above) in the period is below ${Math.round(threshold * 100)}%, the practice's threshold.`,
      },
    });
  }
  return out;
}

export type ImpactReport = z.output<typeof ImpactReportDto>;
/** The sections every practice's report has; the report adds the dose bands and says what it is. */
export type ImpactSections = Omit<ImpactReport, 'byDose' | 'practice' | 'groups' | 'producedAt' | 'method'>;

/** What the whole report counts, and what it cannot show: printed with it, in the JSON and the CSV. */
export const IMPACT_METHOD = [
  "By dose: people given a place in the period's groups (enrolled at some point of it), by the sessions they attended there in the period, present or late: 0 (given a place, never came: the comparison), 1, 2, 3-5, 6 or more.",
  "Paired measures only: a person's first SWEMWBS or ONS4 and their latest at least 8 weeks on, both by the end of the period; GP appointments in the year before they were given a place against the year from it (at least 91 days of data, scaled to a year), for people whose CHI number is in the practice's export.",
  "A mean or a 95% confidence interval (Student's t, paired) only where 5 or more people have a pair; otherwise none. Wherever a figure leaves the practice (the CSV, the programme), a count from 1 to 4 is shown as <5.",
  'What this cannot show: it is an association, not proof that the groups caused any change. People are referred at their worst, so scores tend to rise and appointments to fall with time alone (regression to the mean); the never-came band is the nearest thing to a comparison, and it was not chosen at random.',
  'Who is missing: people with no CHI number or not in the export (GP figures), and people with no follow-up measure, who are more often those who stopped coming.',
];

/** The impact report of the actor's practice. */
export async function impactReport(db: Db, actor: Actor, now: number, range: ImpactRange): Promise<ImpactReport> {
  const practice = await db
    .selectFrom('practices')
    .select(['id', 'timezone', 'attendance_threshold', 'name', 'code'])
    .where('id', '=', actor.practiceId)
    .executeTakeFirstOrThrow();
  const sections = (await impactFigures(db, [practice], now, range)).get(practice.id)!;
  const people = await peopleByDose(db, practice, now, range);
  const start = startOfLocalDate(range.from, practice.timezone);
  const end = startOfLocalDate(addDays(range.to, 1), practice.timezone);
  let groups = db
    .selectFrom('community_groups as g')
    .select(['g.id', 'g.name'])
    .where('g.practice_id', '=', practice.id)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('sessions as s').select('s.id').whereRef('s.group_id', '=', 'g.id').where('s.starts_at', '>=', start).where('s.starts_at', '<', end),
      ),
    )
    .orderBy('g.name');
  if (range.groupId !== undefined) groups = groups.where('g.id', '=', range.groupId);
  await audit(db, actor, now, { action: 'report', entity: 'impact', detail: `${range.from}..${range.to}${range.groupId ? ` group ${range.groupId}` : ''}` });
  return {
    ...sections,
    byDose: bandFigures(people),
    practice: { name: practice.name, code: practice.code },
    groups: await groups.execute(),
    producedAt: toZonedIso(now, practice.timezone),
    method: IMPACT_METHOD,
  };
}

/**
 * For people who came to 3 or more sessions and carry a CHI number: appointments in the 12 months
 * before their first session, against the months after it, annualised. One query in whole days:
 * a period that straddles a boundary is shared out by days, and the first session's local date
 * comes from each zone's UTC offsets over the period, passed in as a small table.
 */
async function gpChanges(
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
    offsetIntervals(zone, earliest - 2 * 86_400_000, latest + 2 * 86_400_000).map((i) => sql`(${zi}, ${i.from}, ${i.to}, ${i.seconds})`),
  );
  const heldDays = sql.join(practices.map((p) => sql`(${p.id}, ${zones.indexOf(p.timezone)}, ${dayNumber(bounds.get(p.id)!.heldDate)})`));
  const rows = (
    await sql<{ practice_id: number; before: number; after: number }>`
      WITH ${b},
      zone_of(pid, zi, held_day) AS (VALUES ${heldDays}),
      tz(zi, a, z, off) AS (VALUES ${sql.join(offsets)}),
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

type OffsetInterval = { from: number; to: number; seconds: number };
// A programme's report asks once per practice, nearly always for the same zone and period.
const remembered = new Map<string, OffsetInterval[]>();

/** A zone's UTC offset, in seconds, over [from, to): one interval per stretch between clock changes. */
export function offsetIntervals(zone: string, from: number, to: number): OffsetInterval[] {
  const key = `${zone} ${from} ${to}`;
  let found = remembered.get(key);
  if (!found) {
    if (remembered.size >= 64) remembered.clear();
    found = findOffsetIntervals(zone, from, to);
    remembered.set(key, found);
  }
  return found;
}

function findOffsetIntervals(zone: string, from: number, to: number): OffsetInterval[] {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset * 60;
  // No zone changes its offset twice in a week: step a week at a time, then find the minute.
  const STEP = 7 * 86_400_000;
  const out: OffsetInterval[] = [];
  let start = from;
  let current = offset(from);
  for (let t = from + STEP; t < to + STEP; t += STEP) {
    const at = Math.min(t, to);
    if (offset(at) === current) continue;
    // The change lies in the last step: find its minute.
    let lo = at - STEP;
    let hi = at;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offset(mid) === current) lo = mid;
      else hi = mid;
    }
    out.push({ from: start, to: hi, seconds: current });
    start = hi;
    current = offset(hi);
  }
  out.push({ from: start, to: to + 1, seconds: current });
  return out;
}

/** Days since 1970 of a YYYY-MM-DD date. */
function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

/** The report as one flat table for a spreadsheet: section, figure, value, how it was computed; counts under 5 as "<5". */
export function impactRows(r: ImpactReport): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const add = (section: string, figure: string, value: unknown, method: string) => rows.push({ section, figure, value, howComputed: method });
  const f = r.funnel;
  for (const [k, v] of [
    ['referred', f.referred],
    ['enrolled', f.enrolled],
    ['attended once', f.attendedOnce],
    ['attended 3 or more', f.attendedThreePlus],
  ] as const)
    add('funnel', k, suppress(v), f.method);
  const a = r.attendance;
  add('attendance', 'sessions held', a.sessionsHeld, a.method);
  add('attendance', 'attendances (present or late)', suppress(a.attended), a.method);
  add('attendance', 'absent', suppress(a.absent), a.method);
  add('attendance', 'apologies', suppress(a.apologies), a.method);
  add('attendance', 'unnamed headcount', suppress(a.unnamedHeadcount), a.method);
  add('attendance', 'attendance rate', a.rate, a.method);
  for (const [k, v] of [
    ['4 weeks', r.retention.weeks4],
    ['12 weeks', r.retention.weeks12],
  ] as const) {
    add('retention', `${k}: people`, suppress(v.eligible), r.retention.method);
    add('retention', `${k}: still coming`, suppress(v.retained), r.retention.method);
    add('retention', `${k}: rate`, overFive(v.eligible, v.rate), r.retention.method);
  }
  const sw = r.wellbeing.swemwbs;
  add('wellbeing', 'SWEMWBS: people with baseline and follow-up', suppress(sw.n), sw.method);
  add('wellbeing', 'SWEMWBS: mean change', overFive(sw.n, sw.meanChange), sw.method);
  add('wellbeing', 'SWEMWBS: share improved meaningfully', overFive(sw.n, sw.improvedMeaningfully), sw.method);
  const ons = r.wellbeing.ons4;
  add('wellbeing', 'ONS4: people with baseline and follow-up', suppress(ons.n), ons.method);
  for (const [item, change] of Object.entries(ons.meanChange)) add('wellbeing', `ONS4: mean change in ${item}`, overFive(ons.n, change), ons.method);
  const g = r.gpAppointments;
  add('gp appointments', 'people', suppress(g.n), g.method);
  add('gp appointments', '12 months before', overFive(g.n, g.totalBefore), g.method);
  add('gp appointments', 'a year after (annualised)', overFive(g.n, g.totalAfterAnnualised), g.method);
  add('gp appointments', 'median change per person', overFive(g.n, g.medianChange), g.method);
  for (const b of r.belowThreshold.groups) add('below threshold', b.name, b.rate, r.belowThreshold.method);
  const dose = IMPACT_METHOD[0]!;
  for (const d of suppressBands(r.byDose)) {
    const at = `by dose ${d.band}`;
    add(at, 'people', d.people, dose);
    add(at, 'SWEMWBS: people with a pair', d.swemwbs.n, dose);
    add(at, 'SWEMWBS: mean baseline', d.swemwbs.baseline, dose);
    add(at, 'SWEMWBS: mean change', d.swemwbs.change, dose);
    add(at, 'SWEMWBS: 95% interval of the change', d.swemwbs.ci95?.join(' to ') ?? null, dose);
    add(at, 'ONS4: people with a pair', d.ons4.n, dose);
    for (const [item, change] of Object.entries(d.ons4.change)) add(at, `ONS4: mean change in ${item}`, change, dose);
    add(at, 'GP appointments: people', d.gpAppointments.n, dose);
    add(at, 'GP appointments: mean in the year before', d.gpAppointments.before, dose);
    add(at, 'GP appointments: mean in the year after', d.gpAppointments.after, dose);
    add(at, 'GP appointments: mean change', d.gpAppointments.change, dose);
    add(at, 'GP appointments: 95% interval of the change', d.gpAppointments.ci95?.join(' to ') ?? null, dose);
  }
  add('report', 'produced at', r.producedAt, 'When this report was worked out');
  for (const line of r.method) add('method', 'what this counts and cannot show', line, line);
  return rows;
}

/** Dose bands as they may leave the practice: every count from 1 to 4 as "<5" (means and intervals already need 5). */
export function suppressBands(bands: ImpactReport['byDose']) {
  return bands.map((b) => ({
    ...b,
    people: suppress(b.people),
    swemwbs: { ...b.swemwbs, n: suppress(b.swemwbs.n) },
    ons4: { ...b.ons4, n: suppress(b.ons4.n) },
    gpAppointments: { ...b.gpAppointments, n: suppress(b.gpAppointments.n) },
  }));
}
