import { overFive, suppress } from './figures.js';
import { type ImpactReport, IMPACT_METHOD } from './impact-report.js';

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
  const rf = r.referrals;
  for (const [k, v] of [
    ['received', rf.received],
    ['accepted', rf.accepted],
    ['came', rf.attended],
    ['declined', rf.declined],
  ] as const)
    add('referrals', k, suppress(v), rf.method);
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
