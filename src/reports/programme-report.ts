import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { addDays, startOfLocalDate } from '../lib/time.js';
import { PROGRAMME } from './monitoring-report.js';
import { IMPACT_METHOD } from './impact-report.js';
import { impactFigures } from './impact-figures.js';
import { bandFigures, oneReportKey, onceAcrossPractices, peopleByDose, type PersonDose } from './dose-bands.js';
import { DisclosureTable } from './disclosure/disclosure-table.js';
import { practiceCells } from './disclosure/impact-cells.js';
import { DISCLOSURE_METHOD, shownBand } from './disclosure/protected-impact.js';
import { yielder } from '../lib/yielder.js';
import { round } from '../lib/numbers.js';
import { overFive, suppress } from './figures.js';

export interface ProgrammeScope {
  /** The programme admin, audited in the practice their session acts in. */
  actor: Actor;
  /** The practices asked for; all of them when empty. */
  practiceIds: number[];
}

async function practicesIn(db: Db, scope: ProgrammeScope) {
  let q = db.selectFrom('practices').select(['id', 'name', 'code', 'timezone']).orderBy('code').orderBy('id');
  if (scope.practiceIds.length) q = q.where('id', 'in', scope.practiceIds);
  return q.execute();
}

/**
 * The programme's attendance across practices, one row per practice by its code: counts only,
 * never a name or number, and every count under 5 shown as "<5" (rates only over 5 or more).
 */
export async function programmeAttendance(db: Db, scope: ProgrammeScope, now: number, range: { from: string; to: string }) {
  const rows = [];
  for (const p of await practicesIn(db, scope)) {
    const start = startOfLocalDate(range.from, p.timezone);
    const end = startOfLocalDate(addDays(range.to, 1), p.timezone);
    const held = Math.min(end, now);
    const r = (
      await sql<{ groups: number; delivered: number; cancelled: number; attended: number; marked: number; people: number; enrolled: number }>`
        SELECT
          (SELECT count(*) FROM community_groups WHERE practice_id = ${p.id} AND status = 'active') AS groups,
          (SELECT count(*) FROM sessions WHERE practice_id = ${p.id} AND status = 'scheduled' AND starts_at >= ${start} AND starts_at < ${held}) AS delivered,
          (SELECT count(*) FROM sessions WHERE practice_id = ${p.id} AND status = 'cancelled' AND starts_at >= ${start} AND starts_at < ${end}) AS cancelled,
          a.attended, a.marked, a.people,
          (SELECT count(*) FROM enrolments WHERE practice_id = ${p.id} AND enrolled_at >= ${start} AND enrolled_at < ${end}) AS enrolled
        FROM (
          SELECT coalesce(sum(a.status IN ('present', 'late')), 0) AS attended,
                 coalesce(sum(a.status IN ('present', 'late', 'absent')), 0) AS marked,
                 count(DISTINCT CASE WHEN a.status IN ('present', 'late') THEN a.participant_id END) AS people
          FROM attendance a JOIN sessions s ON s.id = a.session_id
          WHERE a.practice_id = ${p.id} AND s.status = 'scheduled' AND s.starts_at >= ${start} AND s.starts_at < ${held}
        ) a`.execute(db)
    ).rows[0]!;
    const marked = Number(r.marked);
    rows.push({
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
  await audit(db, scope.actor, now, { action: 'report', entity: 'programme_attendance', detail: `${range.from}..${range.to}, ${rows.length} practices` });
  return { period: range, practices: rows };
}

/** The monitoring return across practices: enrolments by practice code, programme and referral route, counts only. */
export async function programmeMonitoring(db: Db, scope: ProgrammeScope, now: number) {
  const ids = (await practicesIn(db, scope)).map((p) => p.id);
  const rows = ids.length
    ? (
        await sql<{ code: string | null; id: number; kind: string; route: string | null; n: number; attended: number }>`
          SELECT pr.code, pr.id, g.kind, e.referral_source AS route, count(*) AS n,
                 sum((SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id
                      WHERE a.participant_id = e.participant_id AND s.group_id = e.group_id AND a.status IN ('present', 'late'))) AS attended
          FROM enrolments e JOIN community_groups g ON g.id = e.group_id JOIN practices pr ON pr.id = e.practice_id
          WHERE e.practice_id IN (${sql.join(ids)})
          GROUP BY pr.id, g.kind, e.referral_source
          ORDER BY pr.code, pr.id, g.kind, e.referral_source`.execute(db)
      ).rows
    : [];
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
  let q = db.selectFrom('practices').select(['id', 'code', 'timezone', 'attendance_threshold']).orderBy('code').orderBy('id');
  if (scope.practiceIds.length) q = q.where('id', 'in', scope.practiceIds);
  const practices = await q.execute();
  const breather = yielder();
  const keyOf = await oneReportKey();
  const everyone: PersonDose[] = [];
  const measured = [];
  // Practice by practice, each with its own bounds as parameters: the cost grows with the
  // programme, never faster (a join against a VALUES list of every practice grew worse than linearly).
  for (const p of practices) {
    const r = (await impactFigures(db, [p], now, range)).get(p.id)!;
    const people = await peopleByDose(db, p, now, range, keyOf);
    everyone.push(...people);
    measured.push({ p, r, bands: bandFigures(people) });
    await breather();
  }
  const pooled = bandFigures(onceAcrossPractices(everyone));
  const t = new DisclosureTable();
  const cells = measured.map((m) => practiceCells(t, m.r, m.bands));
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
  const apologies = measured.map((m) => t.count(m.r.attendance.apologies));
  t.protect();
  const rows = measured.map(({ p, r, bands }, i) => {
    const c = cells[i]!;
    const shownOver = <T>(id: number, value: T) => (t.isHidden(id) ? null : overFive(Number(t.shown(id)), value));
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
      swemwbsMeanChange: shownOver(c.swemwbsPeople, r.wellbeing.swemwbs.meanChange),
      swemwbsImprovedShare: shownOver(c.swemwbsPeople, r.wellbeing.swemwbs.improvedMeaningfully),
      gpPeople: t.shown(c.gpPeople),
      gpMedianChange: shownOver(c.gpPeople, r.gpAppointments.medianChange),
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

export const PROGRAMME_PEOPLE_METHOD =
  "Across practices: someone given a place in two practices is one person in the pooled bands (matched by a hash of their CHI number keyed afresh for each report and then forgotten, so the pooled figures never hold the number; their sessions added). People without a CHI number cannot be matched and may count once in each practice; each practice's own row counts its own people.";
