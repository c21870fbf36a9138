import { sql } from 'kysely';
import { jsonTable } from '../db/json-table.js';
import type { Db } from '../db/schema.js';
import { invalid } from '../lib/errors.js';
import { round } from '../lib/numbers.js';
import { weeksLater } from './figures.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time.js';
import { FOLLOW_UP_EARLIEST_DAYS } from '../outcomes/outcomes-service.js';
import { ONS4_ITEMS, SWEMWBS_MEANINGFUL_CHANGE } from '../outcomes/wellbeing-scores.js';
import { type ImpactRange, type ImpactPractice, type ImpactSections } from './impact-report.js';
import { gpChanges } from './gp-changes.js';
import { emptyFunnel, referralFunnels } from '../referrals/referral-funnel.js';
import { mean, median, METHODS } from './impact-measures.js';

/** One practice's period as instants in its own zone. */
export interface Bounds {
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
  const b = jsonTable(
    'b',
    ['pid', 'start', 'fin', 'held', 'held_date'],
    practices.map((p) => {
      const x = bounds.get(p.id)!;
      return [p.id, x.start, x.end, x.held, x.heldDate];
    }),
  );
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
            .where('id', 'in', sql<number>`(SELECT value FROM json_each(${JSON.stringify(groups.map((x) => x.group_id))}))`)
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
        WITH ${b},
        -- One row per person: eligible if any group they began in the period could show it, kept if any did.
        per AS (SELECT pa.practice_id, pa.participant_id,
            max(pa.first_at + ${span4} <= b.held) AS e4, max(pa.first_at + ${span4} <= b.held AND pa.last_at >= pa.first_at + ${span4}) AS r4,
            max(pa.first_at + ${span12} <= b.held) AS e12, max(pa.first_at + ${span12} <= b.held AND pa.last_at >= pa.first_at + ${span12}) AS r12
          FROM b JOIN participation pa ON pa.practice_id = b.pid
          WHERE pa.first_at >= b.start AND pa.first_at < b.fin ${paGroup}
          GROUP BY pa.practice_id, pa.participant_id)
        SELECT practice_id, coalesce(sum(e4), 0) AS e4, coalesce(sum(r4), 0) AS r4, coalesce(sum(e12), 0) AS e12, coalesce(sum(r12), 0) AS r12
        FROM per GROUP BY practice_id`.execute(db)
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
  const referrals = await referralFunnels(db, b, g);
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
      referrals: referrals.get(p.id) ?? emptyFunnel(),
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
