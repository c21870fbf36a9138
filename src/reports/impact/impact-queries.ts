import { sql, type RawBuilder } from 'kysely';
import { jsonIds } from '../../db/json-table.js';
import type { Db } from '../../db/schema.js';
import { weeksLater } from '../figures.js';
import { FOLLOW_UP_EARLIEST_DAYS } from '../../outcomes/outcomes-service.js';
import { SWEMWBS_MEANINGFUL_CHANGE } from '../../outcomes/wellbeing-scores.js';
import type { ImpactRange } from './impact-report.js';

/**
 * The impact report's queries, one a section, each for any number of practices at once: `b` is
 * the table of each practice's period (pid, start, fin, held, held_date), and the fragments narrow
 * to one group where the report is for one.
 */
export interface ImpactScope {
  b: RawBuilder<unknown>;
  groupOnly: RawBuilder<unknown>;
  paGroup: RawBuilder<unknown>;
  enrolGroup: RawBuilder<unknown>;
  outcomeGroup: RawBuilder<unknown>;
}

const byPractice = <T extends { practice_id: number }>(rows: T[]) => new Map(rows.map((r) => [Number(r.practice_id), r]));

/** Who was reached: referred in the period, given a place, came once, came three times. */
export async function funnelCounts(db: Db, { b, enrolGroup, paGroup }: ImpactScope) {
  return byPractice(
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
}

export interface GroupFigures {
  practice_id: number;
  group_id: number;
  name: string;
  sessions: number;
  present: number;
  late: number;
  absent: number;
  apologies: number;
  headcount: number;
}

/** Each group's sessions held in the period and their marks, with its name. */
export async function groupFigures(db: Db, { b, groupOnly }: ImpactScope): Promise<GroupFigures[]> {
  // Sessions held per group, and their marks: driven group by group (in id order, so grouping needs
  // no sort of 400,000 rows) through covering indexes; the marks carry their session's group, time
  // and status, so no session is visited twice.
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
  const groups = held.map((h) => {
    const m = marksOf.get(Number(h.group_id));
    return { ...h, present: Number(m?.present ?? 0), late: Number(m?.late ?? 0), absent: Number(m?.absent ?? 0), apologies: Number(m?.apologies ?? 0) };
  });
  const groupNames = new Map(
    groups.length
      ? (
          await db
            .selectFrom('community_groups')
            .select(['id', 'name'])
            .where('id', 'in', jsonIds(groups.map((x) => x.group_id)))
            .execute()
        ).map((x) => [x.id, x.name])
      : [],
  );
  return groups.map((x) => ({ ...x, name: groupNames.get(x.group_id) ?? '' }));
}

/** Retention, counting people: eligible at 4 and 12 weeks, and kept. */
export async function retentionCounts(db: Db, { b, paGroup }: ImpactScope) {
  const [span4, span12] = [weeksLater(4), weeksLater(12)];
  return byPractice(
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
}

/** Paired wellbeing: SWEMWBS summed per practice in SQL, ONS4's answers pair by pair. */
export async function wellbeingPairs(db: Db, { b, outcomeGroup }: ImpactScope, range: ImpactRange) {
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
  return { swemwbs, ons4 };
}
