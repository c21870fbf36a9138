import { IMPACT_METHOD } from './impact-report.js';
import type { ShownImpactReport } from './protected-impact.js';

/** The report as one flat table for a spreadsheet: section, figure, value, how it was computed, as protected to leave the practice. */
export function impactRows(r: ShownImpactReport): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const add = (section: string, figure: string, value: unknown, method: string) => rows.push({ section, figure, value, howComputed: method });
  const f = r.funnel;
  for (const [k, v] of [
    ['referred', f.referred],
    ['enrolled', f.enrolled],
    ['attended once', f.attendedOnce],
    ['attended 3 or more', f.attendedThreePlus],
  ] as const)
    add('funnel', k, v, f.method);
  const rf = r.referrals;
  for (const [k, v] of [
    ['received', rf.received],
    ['accepted', rf.accepted],
    ['came', rf.attended],
    ['declined', rf.declined],
  ] as const)
    add('referrals', k, v, rf.method);
  const a = r.attendance;
  add('attendance', 'sessions held', a.sessionsHeld, a.method);
  add('attendance', 'attendances (present or late)', a.attended, a.method);
  add('attendance', 'absent', a.absent, a.method);
  add('attendance', 'apologies', a.apologies, a.method);
  add('attendance', 'unnamed headcount', a.unnamedHeadcount, a.method);
  add('attendance', 'attendance rate', a.rate, a.method);
  for (const [k, v] of [
    ['4 weeks', r.retention.weeks4],
    ['12 weeks', r.retention.weeks12],
  ] as const) {
    add('retention', `${k}: people`, v.eligible, r.retention.method);
    add('retention', `${k}: still coming`, v.retained, r.retention.method);
    add('retention', `${k}: rate`, v.rate, r.retention.method);
  }
  const sw = r.wellbeing.swemwbs;
  add('wellbeing', 'SWEMWBS: people with baseline and follow-up', sw.n, sw.method);
  add('wellbeing', 'SWEMWBS: mean change', sw.meanChange, sw.method);
  add('wellbeing', 'SWEMWBS: share improved meaningfully', sw.improvedMeaningfully, sw.method);
  const ons = r.wellbeing.ons4;
  add('wellbeing', 'ONS4: people with baseline and follow-up', ons.n, ons.method);
  for (const [item, change] of Object.entries(ons.meanChange)) add('wellbeing', `ONS4: mean change in ${item}`, change, ons.method);
  const g = r.gpAppointments;
  add('gp appointments', 'people', g.n, g.method);
  add('gp appointments', '12 months before', g.totalBefore, g.method);
  add('gp appointments', 'a year after (annualised)', g.totalAfterAnnualised, g.method);
  add('gp appointments', 'median change per person', g.medianChange, g.method);
  for (const b of r.belowThreshold.groups) add('below threshold', b.name, b.rate, r.belowThreshold.method);
  const dose = IMPACT_METHOD[0]!;
  for (const d of r.byDose) {
    const at = `by dose ${d.band}`;
    add(at, 'people', d.people, dose);
    add(at, 'SWEMWBS: people with a pair', d.swemwbs.n, dose);
    add(at, 'SWEMWBS: mean baseline', d.swemwbs.baseline, dose);
    add(at, 'SWEMWBS: mean change', d.swemwbs.change, dose);
    add(at, 'SWEMWBS: 95% interval of the change', d.swemwbs.ci95?.join(' to ') ?? null, dose);
    add(at, 'ONS4: people with a pair', d.ons4.n, dose);
    for (const [item, change] of Object.entries(d.ons4.change)) add(at, `ONS4: mean change in ${item}`, change, dose);
    add(at, 'Happiness by text: people with a pair', d.happiness.n, dose);
    add(at, 'Happiness by text: mean baseline', d.happiness.baseline, dose);
    add(at, 'Happiness by text: mean change', d.happiness.change, dose);
    add(at, 'Happiness by text: 95% interval of the change', d.happiness.ci95?.join(' to ') ?? null, dose);
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
