import { sql } from 'kysely';
import { jsonIds } from '../../db/json-table.js';
import type { Db } from '../../db/schema.js';
import { audit, type Actor } from '../../audit/audit-service.js';
import { PROGRAMME } from '../monitoring-report.js';
import { periodBounds } from '../period-bounds.js';
import { round } from '../../lib/numbers.js';
import { bySets } from './by-sets.js';
import { overFive, suppress } from '../figures.js';
import { fromBoard, HOME_BOARD, type Board } from './boards.js';

export interface ProgrammeScope {
  /** The programme admin, audited in the practice their session acts in. */
  actor: Actor;
  /** The practices asked for; all of them when empty. */
  practiceIds: number[];
  /** The boards' databases to read, when the deployment reads more than its own: each row then names its board. */
  boards?: Board[];
}

/** The databases a report reads: the boards asked for, or this deployment's own. */
export function boardsOf(db: Db, scope: ProgrammeScope): Board[] {
  return scope.boards ?? [{ name: HOME_BOARD, db, home: true }];
}

/** The board a row comes from, where the report reads several. */
export const boardField = (scope: ProgrammeScope, b: Board) => (scope.boards ? { board: b.name } : {});

/** The practices a programme report covers, by code. */
export async function practicesIn(db: Db, scope: ProgrammeScope) {
  let q = db.selectFrom('practices').select(['id', 'name', 'code', 'timezone', 'attendance_threshold', 'figures_version']).orderBy('code').orderBy('id');
  if (scope.practiceIds.length) q = q.where('id', 'in', jsonIds(scope.practiceIds));
  return q.execute();
}

/**
 * The programme's attendance across practices, one row per practice by its code: counts only,
 * never a name or number, and every count under 5 shown as "<5" (rates only over 5 or more).
 */
export async function programmeAttendance(db: Db, scope: ProgrammeScope, now: number, range: { from: string; to: string }) {
  const rows = [];
  for (const b of boardsOf(db, scope)) {
    const { practices, counted } = await fromBoard(b, async () => {
      const practices = await practicesIn(b.db, scope);
      return { practices, counted: await bySets(practices, (some) => attendanceCounts(b.db, some, now, range)) };
    });
    const byPractice = new Map(counted.map((r) => [Number(r.pid), r]));
    for (const p of practices) {
      const r = byPractice.get(p.id)!;
      const marked = Number(r.marked);
      rows.push({
        ...boardField(scope, b),
        practiceCode: p.code ?? `practice-${p.id}`,
        practiceName: p.name,
        activeGroups: Number(r.groups),
        sessionsDelivered: Number(r.delivered),
        sessionsCancelled: Number(r.cancelled),
        participants: suppress(Number(r.people)),
        attendances: suppress(Number(r.attended)),
        newEnrolments: suppress(Number(r.enrolled)),
        // Present or late over sessions marked present, late or absent; apologies are kept out.
        attendanceRate: overFive(marked, round(Number(r.attended) / marked)),
      });
    }
  }
  await audit(db, scope.actor, now, {
    action: 'report',
    entity: 'programme_attendance',
    detail: `${range.from}..${range.to}, ${rows.length} practices${boardsNamed(scope)}`,
  });
  return { period: range, practices: rows };
}

/** The boards a report read, for its audit entry. */
export const boardsNamed = (scope: ProgrammeScope) => (scope.boards ? ` of ${scope.boards.map((b) => b.name).join(', ')}` : '');

/** Each practice's attendance figures in one query, each with its own bounds. */
async function attendanceCounts(db: Db, practices: { id: number; timezone: string }[], now: number, range: { from: string; to: string }) {
  const { b } = periodBounds(practices, range, now);
  return (
    await sql<{ pid: number; groups: number; delivered: number; cancelled: number; attended: number; marked: number; people: number; enrolled: number }>`
          WITH ${b},
          att AS (
            SELECT s.practice_id AS pid, sum(a.status IN ('present', 'late')) AS attended, sum(a.status IN ('present', 'late', 'absent')) AS marked,
                   count(DISTINCT CASE WHEN a.status IN ('present', 'late') THEN a.participant_id END) AS people
            FROM b JOIN sessions s ON s.practice_id = b.pid JOIN attendance a ON a.session_id = s.id
            WHERE s.status = 'scheduled' AND s.starts_at >= b.start AND s.starts_at < b.held
            GROUP BY s.practice_id)
          SELECT b.pid,
            (SELECT count(*) FROM community_groups WHERE practice_id = b.pid AND status = 'active') AS groups,
            (SELECT count(*) FROM sessions WHERE practice_id = b.pid AND status = 'scheduled' AND starts_at >= b.start AND starts_at < b.held) AS delivered,
            (SELECT count(*) FROM sessions WHERE practice_id = b.pid AND status = 'cancelled' AND starts_at >= b.start AND starts_at < b.fin) AS cancelled,
            coalesce(att.attended, 0) AS attended, coalesce(att.marked, 0) AS marked, coalesce(att.people, 0) AS people,
            (SELECT count(*) FROM enrolments WHERE practice_id = b.pid AND enrolled_at >= b.start AND enrolled_at < b.fin) AS enrolled
          FROM b LEFT JOIN att ON att.pid = b.pid`.execute(db)
  ).rows;
}

/** The monitoring return across practices: enrolments by practice code, programme and referral route, counts only. */
export async function programmeMonitoring(db: Db, scope: ProgrammeScope, now: number) {
  const out = [];
  let practices = 0;
  for (const b of boardsOf(db, scope)) {
    const { ids, rows } = await fromBoard(b, async () => {
      const ids = (await practicesIn(b.db, scope)).map((p) => p.id);
      return { ids, rows: await bySets(ids, (some) => monitoringCounts(b.db, some)) };
    });
    practices += ids.length;
    for (const r of rows)
      out.push({
        ...boardField(scope, b),
        practiceCode: r.code ?? `practice-${r.id}`,
        programme: PROGRAMME[r.kind] ?? r.kind,
        referralRoute: r.route ?? 'not_recorded',
        enrolments: suppress(Number(r.n)),
        sessionsAttended: suppress(Number(r.attended)),
      });
  }
  await audit(db, scope.actor, now, { action: 'report', entity: 'programme_monitoring', detail: `${practices} practices${boardsNamed(scope)}` });
  return out;
}

async function monitoringCounts(db: Db, ids: number[]) {
  return (
    await sql<{ code: string | null; id: number; kind: string; route: string | null; n: number; attended: number }>`
      SELECT pr.code, pr.id, g.kind, e.referral_source AS route, count(*) AS n,
             sum((SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id
                  WHERE a.participant_id = e.participant_id AND s.group_id = e.group_id AND a.status IN ('present', 'late'))) AS attended
      FROM enrolments e JOIN community_groups g ON g.id = e.group_id JOIN practices pr ON pr.id = e.practice_id
      WHERE e.practice_id IN ${jsonIds(ids)}
      GROUP BY pr.id, g.kind, e.referral_source
      ORDER BY pr.code, pr.id, g.kind, e.referral_source`.execute(db)
  ).rows;
}
