import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { addDays, startOfLocalDate } from '../lib/time.js';
import { PROGRAMME } from './monitoring-report.js';
import { IMPACT_METHOD } from './impact-report.js';
import { impactFigures } from './impact-figures.js';
import { suppressBands } from './impact-rows.js';
import { bandFigures, peopleByDose, type PersonDose } from './dose-bands.js';
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
 * The impact report across practices, one row per practice code: every count under 5 as "<5",
 * and a rate, mean or median only where it rests on 5 people or more.
 */
export async function programmeImpact(db: Db, scope: ProgrammeScope, now: number, range: { from: string; to: string }) {
  let q = db.selectFrom('practices').select(['id', 'code', 'timezone', 'attendance_threshold']).orderBy('code').orderBy('id');
  if (scope.practiceIds.length) q = q.where('id', 'in', scope.practiceIds);
  const practices = await q.execute();
  const breather = yielder();
  const everyone: PersonDose[] = [];
  const rows = [];
  // Practice by practice, each with its own bounds as parameters: the cost grows with the
  // programme, never faster (a join against a VALUES list of every practice grew worse than linearly).
  for (const p of practices) {
    const r = (await impactFigures(db, [p], now, range)).get(p.id)!;
    const people = await peopleByDose(db, p, now, range);
    everyone.push(...people);
    await breather();
    rows.push({
      practiceCode: p.code ?? `practice-${p.id}`,
      referred: suppress(r.funnel.referred),
      enrolled: suppress(r.funnel.enrolled),
      attendedOnce: suppress(r.funnel.attendedOnce),
      attendedThreePlus: suppress(r.funnel.attendedThreePlus),
      referralsReceived: suppress(r.referrals.received),
      referralsAccepted: suppress(r.referrals.accepted),
      referralsAttended: suppress(r.referrals.attended),
      referralsDeclined: suppress(r.referrals.declined),
      sessionsHeld: r.attendance.sessionsHeld,
      attendanceRate: overFive(r.attendance.attended + r.attendance.absent, r.attendance.rate),
      apologies: suppress(r.attendance.apologies),
      retention4WeeksRate: overFive(r.retention.weeks4.eligible, r.retention.weeks4.rate),
      retention12WeeksRate: overFive(r.retention.weeks12.eligible, r.retention.weeks12.rate),
      swemwbsPeople: suppress(r.wellbeing.swemwbs.n),
      swemwbsMeanChange: overFive(r.wellbeing.swemwbs.n, r.wellbeing.swemwbs.meanChange),
      swemwbsImprovedShare: overFive(r.wellbeing.swemwbs.n, r.wellbeing.swemwbs.improvedMeaningfully),
      gpPeople: suppress(r.gpAppointments.n),
      gpMedianChange: overFive(r.gpAppointments.n, r.gpAppointments.medianChange),
      groupsBelowThreshold: r.belowThreshold.groups.length,
      byDose: suppressBands(bandFigures(people)),
    });
  }
  await audit(db, scope.actor, now, { action: 'report', entity: 'programme_impact', detail: `${range.from}..${range.to}, ${rows.length} practices` });
  return {
    period: range,
    practices: rows,
    // Pooled from people across practices, so one band's mean is every person in it, not a mean of means.
    programme: { byDose: suppressBands(bandFigures(everyone)) },
    producedAt: new Date(now).toISOString(),
    method: IMPACT_METHOD,
  };
}
