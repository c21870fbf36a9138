import { sql } from 'kysely';
import { jsonIds } from '../../db/json-table.js';
import type { Db } from '../../db/schema.js';
import { audit, type Actor } from '../../audit/audit-service.js';
import { PROGRAMME } from '../monitoring-report.js';
import { IMPACT_METHOD } from '../impact/impact-report.js';
import { impactFigures } from '../impact/impact-figures.js';
import { bandFigures, bandFiguresInTurns, oneReportKey, onceAcrossPractices, type PersonDose } from '../impact/dose-bands.js';
import { peopleByDoseIn } from '../impact/dose-people.js';
import { DisclosureTable } from '../disclosure/disclosure-table.js';
import { practiceCells } from '../impact/impact-cells.js';
import { DISCLOSURE_METHOD, shownBand, shownOver } from '../impact/protected-impact.js';
import { periodBounds } from '../period-bounds.js';
import { queryBudget } from '../../db/query-budget.js';
import { turn, yielder } from '../../lib/yielder.js';
import { round } from '../../lib/numbers.js';
import { overFive, suppress } from '../figures.js';

export interface ProgrammeScope {
  /** The programme admin, audited in the practice their session acts in. */
  actor: Actor;
  /** The practices asked for; all of them when empty. */
  practiceIds: number[];
}

async function practicesIn(db: Db, scope: ProgrammeScope) {
  let q = db.selectFrom('practices').select(['id', 'name', 'code', 'timezone', 'attendance_threshold']).orderBy('code').orderBy('id');
  if (scope.practiceIds.length) q = q.where('id', 'in', jsonIds(scope.practiceIds));
  return q.execute();
}

/**
 * The programme's attendance across practices, one row per practice by its code: counts only,
 * never a name or number, and every count under 5 shown as "<5" (rates only over 5 or more).
 */
export async function programmeAttendance(db: Db, scope: ProgrammeScope, now: number, range: { from: string; to: string }) {
  const practices = await practicesIn(db, scope);
  const counted = await bySets(practices, (some) => attendanceCounts(db, some, now, range));
  const byPractice = new Map(counted.map((r) => [Number(r.pid), r]));
  const rows = practices.map((p) => {
    const r = byPractice.get(p.id)!;
    const marked = Number(r.marked);
    return {
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
    };
  });
  await audit(db, scope.actor, now, { action: 'report', entity: 'programme_attendance', detail: `${range.from}..${range.to}, ${rows.length} practices` });
  return { period: range, practices: rows };
}

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
  const ids = (await practicesIn(db, scope)).map((p) => p.id);
  const rows = await bySets(
    ids,
    async (some) =>
      (
        await sql<{ code: string | null; id: number; kind: string; route: string | null; n: number; attended: number }>`
          SELECT pr.code, pr.id, g.kind, e.referral_source AS route, count(*) AS n,
                 sum((SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id
                      WHERE a.participant_id = e.participant_id AND s.group_id = e.group_id AND a.status IN ('present', 'late'))) AS attended
          FROM enrolments e JOIN community_groups g ON g.id = e.group_id JOIN practices pr ON pr.id = e.practice_id
          WHERE e.practice_id IN ${jsonIds(some)}
          GROUP BY pr.id, g.kind, e.referral_source
          ORDER BY pr.code, pr.id, g.kind, e.referral_source`.execute(db)
      ).rows,
  );
  await audit(db, scope.actor, now, { action: 'report', entity: 'programme_monitoring', detail: `${ids.length} practices` });
  return rows.map((r) => ({
    practiceCode: r.code ?? `practice-${r.id}`,
    programme: PROGRAMME[r.kind] ?? r.kind,
    referralRoute: r.route ?? 'not_recorded',
    enrolments: suppress(Number(r.n)),
    sessionsAttended: suppress(Number(r.attended)),
  }));
}

/**
 * The impact report across practices, one row per practice code, and the programme's bands pooled
 * from people (someone in two practices once). Protected as one table, rows and the pooled row
 * together, so no hidden count comes back from another practice's figures or the pooled row.
 */
export async function programmeImpact(db: Db, scope: ProgrammeScope, now: number, range: { from: string; to: string }) {
  const practices = await practicesIn(db, scope);
  const keyOf = await sharedChiKeys(db, practices);
  const everyone: PersonDose[] = [];
  const measured = await bySets(practices, async (some) => {
    const figures = await impactFigures(db, some, now, range);
    await turn(); // on Node each half holds the thread for its queries: requests get a turn between
    const people = await peopleByDoseIn(db, some, now, range, keyOf);
    return some.map((p) => {
      const mine = people.get(p.id) ?? [];
      everyone.push(...mine);
      return { p, r: figures.get(p.id)!, bands: bandFigures(mine) };
    });
  });
  const breather = yielder();
  const once = onceAcrossPractices(everyone);
  await breather();
  const pooled = await bandFiguresInTurns(once, breather);
  const t = new DisclosureTable();
  const cells: ReturnType<typeof practiceCells>[] = [];
  // A thousand practices' cells take tens of milliseconds: requests get their turns between.
  for (const m of measured) {
    cells.push(practiceCells(t, m.r, m.bands));
    await breather();
  }
  const pooledCells = pooledBandCells(t, pooled, cells);
  const apologies = measured.map((m) => t.count(m.r.attendance.apologies));
  await t.protectInTurns(breather);
  const rows = measured.map(({ p, r, bands }, i) => {
    const c = cells[i]!;
    const over = <T>(id: number, value: T) => shownOver(t, id, value);
    return {
      practiceCode: p.code ?? `practice-${p.id}`,
      referred: t.shown(c.referred),
      enrolled: t.shown(c.enrolled),
      attendedOnce: t.shown(c.attendedOnce),
      attendedThreePlus: t.shown(c.attendedThreePlus),
      referralsReceived: t.shown(c.received),
      referralsAccepted: t.shown(c.accepted),
      referralsAttended: t.shown(c.attended),
      referralsDeclined: t.shown(c.declined),
      sessionsHeld: r.attendance.sessionsHeld,
      attendanceRate: overFive(r.attendance.attended + r.attendance.absent, r.attendance.rate),
      apologies: t.shown(apologies[i]!),
      retention4WeeksRate: overFive(r.retention.weeks4.eligible, r.retention.weeks4.rate),
      retention12WeeksRate: overFive(r.retention.weeks12.eligible, r.retention.weeks12.rate),
      swemwbsPeople: t.shown(c.swemwbsPeople),
      swemwbsMeanChange: over(c.swemwbsPeople, r.wellbeing.swemwbs.meanChange),
      swemwbsImprovedShare: over(c.swemwbsPeople, r.wellbeing.swemwbs.improvedMeaningfully),
      gpPeople: t.shown(c.gpPeople),
      gpMedianChange: over(c.gpPeople, r.gpAppointments.medianChange),
      groupsBelowThreshold: r.belowThreshold.groups.length,
      byDose: bands.map((b, k) => shownBand(t, b, c.bands[k]!)),
    };
  });

  await audit(db, scope.actor, now, { action: 'report', entity: 'programme_impact', detail: `${range.from}..${range.to}, ${rows.length} practices` });
  return {
    period: range,
    practices: rows,
    // Pooled from people across practices, so one band's mean is every person in it, not a mean of means.
    programme: { byDose: pooled.map((b, k) => shownBand(t, b, pooledCells[k]!)) },
    producedAt: new Date(now).toISOString(),
    method: [...IMPACT_METHOD, PROGRAMME_PEOPLE_METHOD, DISCLOSURE_METHOD],
  };
}

/** The pooled bands' cells, each the sum of the practices' cells for it. */
function pooledBandCells(t: DisclosureTable, pooled: ReturnType<typeof bandFigures>, cells: ReturnType<typeof practiceCells>[]) {
  // The pooled bands are what the programme's report is for: a practice's figure is hidden before them.
  const pooledCost = (n: number) => t.count(n, n * 1000);
  const pooledCells = pooled.map((b) => ({
    people: pooledCost(b.people),
    swemwbs: pooledCost(b.swemwbs.n),
    ons4: pooledCost(b.ons4.n),
    happiness: pooledCost(b.happiness.n),
    gp: pooledCost(b.gpAppointments.n),
  }));
  pooledCells.forEach((pc, i) => {
    for (const k of ['people', 'swemwbs', 'ons4', 'happiness', 'gp'] as const)
      t.sum(
        pc[k],
        cells.map((c) => c.bands[i]![k]),
      );
  });
  return pooledCells;
}

/** How long a set of practices' queries may hold the thread on Node before requests get a turn. */
const NODE_SET_MS = 10;
/** More at once holds the thread longer in single statements that cannot be split (sixteen small practices' held it 51 ms). */
const NODE_MOST_AT_ONCE = 4;

/**
 * D1 counts queries: every practice in one set, each with its own bounds in one JSON table, the
 * same queries for 2 practices or 1,000. Node's SQLite answers on the thread that serves
 * requests: a few practices at a time, letting requests in between, as many as took about
 * NODE_SET_MS the last time. A real practice's three years cost ten times a small practice's
 * year, so no fixed number fits both (four held the thread 40 ms on small ones, 61 ms on real ones).
 */
async function bySets<T, R>(items: T[], run: (some: T[]) => Promise<R[]>): Promise<R[]> {
  if (queryBudget()) return items.length ? run(items) : [];
  const out: R[] = [];
  let size = 2;
  for (let i = 0; i < items.length;) {
    const some = items.slice(i, i + size);
    const started = Date.now();
    out.push(...(await run(some)));
    i += some.length;
    const took = Date.now() - started;
    await turn();
    size = Math.max(1, Math.min(NODE_MOST_AT_ONCE, Math.round((some.length * NODE_SET_MS) / Math.max(took, 1))));
  }
  return out;
}

/**
 * A keyed hash for the CHI numbers found in two or more of these practices, and none for the rest:
 * only they can make one person of two, and hashing a whole programme's numbers costs seconds.
 */
async function sharedChiKeys(db: Db, practices: { id: number }[]): Promise<(chi: string) => Promise<string | undefined>> {
  const hmac = await oneReportKey();
  const ids = jsonIds(practices.map((p) => p.id));
  // D1 counts queries: one. Node's SQLite holds the thread for a statement: a slice of the numbers at a time (about 5 ms each at 1,000 practices).
  const slices = queryBudget() ? [['', null] as const] : CHI_SLICES.map((from, i) => [from, CHI_SLICES[i + 1] ?? null] as const);
  const breather = yielder();
  const shared = new Set<string>();
  for (const [from, to] of slices) {
    const rows = await sql<{ chi_number: string }>`
      SELECT chi_number FROM participants
      WHERE chi_number IS NOT NULL AND erased_at IS NULL AND chi_number >= ${from} ${to === null ? sql`` : sql`AND chi_number < ${to}`}
        AND practice_id IN ${ids}
      GROUP BY chi_number HAVING count(DISTINCT practice_id) > 1`.execute(db);
    for (const r of rows.rows) shared.add(r.chi_number);
    await breather();
  }
  return async (chi) => (shared.has(chi) ? hmac(chi) : undefined);
}

/** Where the slices of CHI numbers begin: a CHI starts with the day of birth (01-31), so these are a few days each. */
const CHI_SLICES = ['', '04', '08', '12', '16', '20', '24', '28', '32', '50', '75'];

export const PROGRAMME_PEOPLE_METHOD =
  "Across practices: someone given a place in two practices is one person in the pooled bands (matched by a hash of their CHI number keyed afresh for each report and then forgotten, so the pooled figures never hold the number; their sessions added). People without a CHI number cannot be matched and may count once in each practice; each practice's own row counts its own people.";
