import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { invalid } from '../lib/errors.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time.js';
import { FOLLOW_UP_EARLIEST_DAYS } from '../outcomes/outcomes-service.js';
import { ONS4_ITEMS, SWEMWBS_MEANINGFUL_CHANGE } from '../outcomes/wellbeing-scores.js';

/** GP appointments after the first session are counted only with at least this many days of data. */
export const GP_MIN_AFTER_DAYS = 91;

export interface ImpactRange {
  from: string;
  to: string;
  groupId?: number;
}

const round = (n: number, dp = 2) => Math.round(n * 10 ** dp) / 10 ** dp;
const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

const WEEK_MS = 7 * 86_400_000;
const CLOCK_CHANGE_SLACK_MS = 2 * 3_600_000;

/**
 * What changed for people, for funders: who was reached (the funnel), how much they took part
 * (attendance, retention), and what changed (wellbeing, GP appointments), each figure with the
 * line that says how it was computed.
 */
export async function impactReport(db: Db, actor: Actor, now: number, range: ImpactRange, opts: { audit?: boolean } = {}) {
  if (range.to < range.from) throw invalid('"to" must not be before "from"');
  const zone = actor.timezone;
  const pid = actor.practiceId;
  const start = startOfLocalDate(range.from, zone);
  const end = startOfLocalDate(addDays(range.to, 1), zone);
  const held = Math.min(end, now);
  const heldDate = localDate(held - 1, zone);
  const inGroup = range.groupId === undefined ? sql`` : sql`AND s.group_id = ${range.groupId}`;
  const enrolGroup = range.groupId === undefined ? sql`` : sql`AND e.group_id = ${range.groupId}`;
  const practice = await db.selectFrom('practices').select(['attendance_threshold']).where('id', '=', pid).executeTakeFirstOrThrow();

  const group = range.groupId === undefined ? sql`` : sql`AND pa.group_id = ${range.groupId}`;

  // The funnel: people referred in the period, and how far each has got (participation is kept by triggers).
  const referred = (
    await sql<{ participant_id: number; enrolled: number; attended: number }>`
      SELECT e.participant_id, max(e.enrolled_at IS NOT NULL) AS enrolled,
        (SELECT coalesce(sum(pa.attended), 0) FROM participation pa WHERE pa.participant_id = e.participant_id ${group}) AS attended
      FROM enrolments e
      WHERE e.practice_id = ${pid} AND e.requested_at >= ${start} AND e.requested_at < ${end} ${enrolGroup}
      GROUP BY e.participant_id`.execute(db)
  ).rows;
  const funnel = {
    referred: referred.length,
    enrolled: referred.filter((r) => Number(r.enrolled) === 1).length,
    attendedOnce: referred.filter((r) => Number(r.attended) >= 1).length,
    attendedThreePlus: referred.filter((r) => Number(r.attended) >= 3).length,
    method:
      'People referred to a group (an enrolment requested) in the period; of them, those given a place, and those marked present or late at least once, and at least three times, to date.',
  };

  // Attendance: present or late over sessions marked present, late or absent; apologies apart.
  const a = (
    await sql<{ sessions: number; present: number; late: number; absent: number; apologies: number; headcount: number }>`
      SELECT count(*) AS sessions, coalesce(sum(m.present), 0) AS present, coalesce(sum(m.late), 0) AS late,
        coalesce(sum(m.absent), 0) AS absent, coalesce(sum(m.apologies), 0) AS apologies, coalesce(sum(s.headcount), 0) AS headcount
      FROM sessions s LEFT JOIN session_marks m ON m.session_id = s.id
      WHERE s.practice_id = ${pid} AND s.status = 'scheduled' AND s.starts_at >= ${start} AND s.starts_at < ${held} ${inGroup}`.execute(db)
  ).rows[0]!;
  const attended = Number(a.present) + Number(a.late);
  const marked = attended + Number(a.absent);
  const attendance = {
    sessionsHeld: Number(a.sessions),
    attended,
    absent: Number(a.absent),
    apologies: Number(a.apologies),
    unnamedHeadcount: Number(a.headcount),
    rate: marked > 0 ? round(attended / marked) : null,
    method:
      'Present or late, over everyone marked present, late or absent at sessions held in the period. Apologies are counted apart and kept out of the rate; the unnamed headcount is not in it either.',
  };

  // Retention: of people whose first session in a group fell in the period, who came again 4 and 12 weeks on.
  const firsts = (
    await sql<{ first_at: number; last_at: number }>`
      SELECT pa.first_at, pa.last_at FROM participation pa
      WHERE pa.practice_id = ${pid} AND pa.first_at >= ${start} AND pa.first_at < ${end} ${group}`.execute(db)
  ).rows;
  const retained = (weeks: number) => {
    // The same weekday 4 weeks on is an hour nearer in UTC across a clock change: weeks are counted with that slack.
    const span = weeks * WEEK_MS - CLOCK_CHANGE_SLACK_MS;
    const eligible = firsts.filter((f) => Number(f.first_at) + span <= held);
    const kept = eligible.filter((f) => Number(f.last_at) >= Number(f.first_at) + span).length;
    return { eligible: eligible.length, retained: kept, rate: eligible.length ? round(kept / eligible.length) : null };
  };
  const retention = {
    weeks4: retained(4),
    weeks12: retained(12),
    method:
      'Of people whose first session in a group fell in the period and began at least 4 (or 12) weeks before its end, the share marked present or late at a session of that group 4 (or 12) weeks or more after their first.',
  };

  const wellbeing = await wellbeingSection(db, pid, range, heldDate);
  const gpAppointments = await gpSection(db, pid, range, zone, held);

  // Groups whose attendance rate is below the practice's threshold.
  const perGroup = (
    await sql<{ group_id: number; name: string; attended: number; marked: number }>`
      SELECT g.id AS group_id, g.name, coalesce(sum(m.present + m.late), 0) AS attended, coalesce(sum(m.present + m.late + m.absent), 0) AS marked
      FROM sessions s JOIN session_marks m ON m.session_id = s.id JOIN community_groups g ON g.id = s.group_id
      WHERE s.practice_id = ${pid} AND s.status = 'scheduled' AND s.starts_at >= ${start} AND s.starts_at < ${held} ${inGroup}
      GROUP BY g.id ORDER BY g.name`.execute(db)
  ).rows;
  const threshold = Number(practice.attendance_threshold);
  const belowThreshold = {
    threshold,
    groups: perGroup
      .filter((g) => Number(g.marked) > 0 && Number(g.attended) / Number(g.marked) < threshold)
      .map((g) => ({ groupId: g.group_id, name: g.name, rate: round(Number(g.attended) / Number(g.marked)) })),
    method: `Groups whose attendance rate (as above) in the period is below ${Math.round(threshold * 100)}%, the practice's threshold.`,
  };

  if (opts.audit !== false)
    await audit(db, actor, now, { action: 'report', entity: 'impact', detail: `${range.from}..${range.to}${range.groupId ? ` group ${range.groupId}` : ''}` });
  return {
    period: { from: range.from, to: range.to },
    groupId: range.groupId ?? null,
    funnel,
    attendance,
    retention,
    wellbeing,
    gpAppointments,
    belowThreshold,
  };
}

/** Baseline (the first measure) and follow-up (the latest, at least 8 weeks later), for baselines taken in the period. */
async function wellbeingSection(db: Db, pid: number, range: ImpactRange, heldDate: string) {
  const group = range.groupId === undefined ? sql`` : sql`AND o.participant_id IN (SELECT participant_id FROM enrolments WHERE group_id = ${range.groupId})`;
  const rows = (
    await sql<{ participant_id: number; measure: 'swemwbs' | 'ons4'; taken_on: string; metric_score: number | null; answers: string }>`
      SELECT o.participant_id, o.measure, o.taken_on, o.metric_score, o.answers FROM outcomes o
      WHERE o.practice_id = ${pid} AND o.taken_on <= ${heldDate} ${group} ORDER BY o.taken_on, o.id`.execute(db)
  ).rows;
  const pairs = (measure: 'swemwbs' | 'ons4') => {
    const byPerson = new Map<number, typeof rows>();
    for (const r of rows) {
      if (r.measure !== measure) continue;
      const list = byPerson.get(r.participant_id);
      if (list) list.push(r);
      else byPerson.set(r.participant_id, [r]);
    }
    const out: { baseline: (typeof rows)[number]; followUp: (typeof rows)[number] }[] = [];
    for (const list of byPerson.values()) {
      const baseline = list[0]!;
      if (baseline.taken_on < range.from || baseline.taken_on > range.to) continue;
      const followUp = [...list].reverse().find((x) => x.taken_on >= addDays(baseline.taken_on, FOLLOW_UP_EARLIEST_DAYS));
      if (followUp) out.push({ baseline, followUp });
    }
    return out;
  };
  const sw = pairs('swemwbs');
  const changes = sw.map((p) => p.followUp.metric_score! - p.baseline.metric_score!);
  const ons = pairs('ons4');
  const onsChange = Object.fromEntries(
    ONS4_ITEMS.map((item, i) => [
      item,
      mean(ons.map((p) => (JSON.parse(p.followUp.answers) as number[])[i]! - (JSON.parse(p.baseline.answers) as number[])[i]!)),
    ]),
  );
  return {
    swemwbs: {
      n: sw.length,
      meanBaseline: mean(sw.map((p) => p.baseline.metric_score!)),
      meanFollowUp: mean(sw.map((p) => p.followUp.metric_score!)),
      meanChange: mean(changes),
      improvedMeaningfully: sw.length ? round(changes.filter((c) => c >= SWEMWBS_MEANINGFUL_CHANGE).length / sw.length) : null,
      method: `People whose first SWEMWBS (the baseline) was taken in the period and who have a later one at least 8 weeks on (the follow-up: the latest). Scores are metric scores from the published conversion table; a meaningful improvement is a rise of ${SWEMWBS_MEANINGFUL_CHANGE} or more.`,
    },
    ons4: {
      n: ons.length,
      meanChange: onsChange,
      method: 'The same pairing for ONS4: the mean change in each answer (0-10). For anxiety a fall is an improvement.',
    },
  };
}

/**
 * For people who came to 3 or more sessions and carry a CHI number: appointments in the 12 months
 * before their first session, against the months after it, annualised.
 */
async function gpSection(db: Db, pid: number, range: ImpactRange, zone: string, held: number) {
  const group = range.groupId === undefined ? sql`` : sql`AND pa.group_id = ${range.groupId}`;
  const people = (
    await sql<{ participant_id: number; first_at: number; chi_number: string }>`
      SELECT pa.participant_id, min(pa.first_at) AS first_at, p.chi_number FROM participation pa JOIN participants p ON p.id = pa.participant_id
      WHERE pa.practice_id = ${pid} AND p.chi_number IS NOT NULL ${group}
      GROUP BY pa.participant_id HAVING sum(pa.attended) >= 3`.execute(db)
  ).rows;
  const byChi = new Map<string, { from: number; to: number; n: number }[]>();
  if (people.length > 0) {
    for (const r of await db
      .selectFrom('gp_appointments')
      .select(['chi_number', 'period_from', 'period_to', 'appointments'])
      .where('practice_id', '=', pid)
      .execute()) {
      const list = byChi.get(r.chi_number) ?? [];
      list.push({ from: dayNumber(r.period_from), to: dayNumber(r.period_to), n: r.appointments });
      byChi.set(r.chi_number, list);
    }
  }
  const dateOf = localDateFormatter(zone);
  const heldDay = dayNumber(dateOf(held - 1));
  const [fromDay, toDay] = [dayNumber(range.from), dayNumber(range.to)];
  const perPerson: { before: number; after: number }[] = [];
  for (const p of people) {
    const first = dayNumber(dateOf(Number(p.first_at)));
    if (first < fromDay || first > toDay) continue;
    const rows = byChi.get(p.chi_number) ?? [];
    const overlap = (r: { from: number; to: number }, a: number, b: number) => Math.max(0, Math.min(r.to, b) - Math.max(r.from, a) + 1);
    const covered = rows.some((r) => overlap(r, first - 365, first - 1) > 0);
    const afterTo = Math.min(
      rows.reduce((m, r) => Math.max(m, r.to), -Infinity),
      heldDay,
    );
    const afterDays = afterTo >= first ? afterTo - first + 1 : 0;
    if (!covered || afterDays < GP_MIN_AFTER_DAYS) continue;
    const prorate = (a: number, b: number) => rows.reduce((n, r) => n + (r.n * overlap(r, a, b)) / (r.to - r.from + 1), 0);
    perPerson.push({ before: prorate(first - 365, first - 1), after: (prorate(first, afterTo) * 365) / afterDays });
  }
  return {
    n: perPerson.length,
    totalBefore: round(
      perPerson.reduce((n, p) => n + p.before, 0),
      1,
    ),
    totalAfterAnnualised: round(
      perPerson.reduce((n, p) => n + p.after, 0),
      1,
    ),
    medianChange: median(perPerson.map((p) => p.after - p.before)),
    method: `People whose first session fell in the period, who came to 3 or more sessions and whose CHI number matches the practice's appointment export: appointments in the 12 months before their first session, against those from it to the end of the data (at least ${GP_MIN_AFTER_DAYS} days), scaled to a year. A period that straddles a boundary is shared out by days.`,
  };
}

/** Days since 1970 of a YYYY-MM-DD date: date arithmetic for thousands of rows without a date library. */
function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

/** The local date of an instant, with one formatter per zone (luxon costs microseconds a call). */
function localDateFormatter(zone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => f.format(ms);
}

/** The report as one flat table for a spreadsheet: section, figure, value, how it was computed; counts under 5 as "<5". */
export function impactRows(r: Awaited<ReturnType<typeof impactReport>>): Record<string, unknown>[] {
  const count = (n: number) => (n > 0 && n < 5 ? '<5' : n);
  const rows: Record<string, unknown>[] = [];
  const add = (section: string, figure: string, value: unknown, method: string) => rows.push({ section, figure, value, howComputed: method });
  const f = r.funnel;
  for (const [k, v] of [
    ['referred', f.referred],
    ['enrolled', f.enrolled],
    ['attended once', f.attendedOnce],
    ['attended 3 or more', f.attendedThreePlus],
  ] as const)
    add('funnel', k, count(v), f.method);
  const a = r.attendance;
  add('attendance', 'sessions held', a.sessionsHeld, a.method);
  add('attendance', 'attendances (present or late)', count(a.attended), a.method);
  add('attendance', 'absent', count(a.absent), a.method);
  add('attendance', 'apologies', count(a.apologies), a.method);
  add('attendance', 'unnamed headcount', count(a.unnamedHeadcount), a.method);
  add('attendance', 'attendance rate', a.rate, a.method);
  for (const [k, v] of [
    ['4 weeks', r.retention.weeks4],
    ['12 weeks', r.retention.weeks12],
  ] as const) {
    add('retention', `${k}: people`, count(v.eligible), r.retention.method);
    add('retention', `${k}: still coming`, count(v.retained), r.retention.method);
    add('retention', `${k}: rate`, v.eligible >= 5 ? v.rate : null, r.retention.method);
  }
  const sw = r.wellbeing.swemwbs;
  add('wellbeing', 'SWEMWBS: people with baseline and follow-up', count(sw.n), sw.method);
  add('wellbeing', 'SWEMWBS: mean change', sw.n >= 5 ? sw.meanChange : null, sw.method);
  add('wellbeing', 'SWEMWBS: share improved meaningfully', sw.n >= 5 ? sw.improvedMeaningfully : null, sw.method);
  const ons = r.wellbeing.ons4;
  add('wellbeing', 'ONS4: people with baseline and follow-up', count(ons.n), ons.method);
  for (const [item, change] of Object.entries(ons.meanChange)) add('wellbeing', `ONS4: mean change in ${item}`, ons.n >= 5 ? change : null, ons.method);
  const g = r.gpAppointments;
  add('gp appointments', 'people', count(g.n), g.method);
  add('gp appointments', '12 months before', g.n >= 5 ? g.totalBefore : null, g.method);
  add('gp appointments', 'a year after (annualised)', g.n >= 5 ? g.totalAfterAnnualised : null, g.method);
  add('gp appointments', 'median change per person', g.n >= 5 ? g.medianChange : null, g.method);
  for (const b of r.belowThreshold.groups) add('below threshold', b.name, b.rate, r.belowThreshold.method);
  return rows;
}
