import type { ImpactReport } from './impact-report.js';
import { DisclosureTable, type Shown } from '../disclosure/disclosure-table.js';
import { practiceCells, type PracticeCells } from './impact-cells.js';
import { overFive } from '../figures.js';

/** Every count of a report widened to what may be shown of it once it leaves the practice. */
export type Widened<T> = T extends number
  ? Shown
  : T extends [infer A, infer B]
    ? [Widened<A>, Widened<B>]
    : T extends (infer U)[]
      ? Widened<U>[]
      : T extends object
        ? { [K in keyof T]: Widened<T[K]> }
        : T;
export type ShownImpactReport = Widened<ImpactReport>;

export const DISCLOSURE_METHOD =
  'Disclosure control: a count from 1 to 4 is shown as <5, and where the figures beside it (a total less its other parts) would give it back, the next smallest is hidden too, as [c]; a mean, interval or rate is shown only where every count it rests on is shown and 5 or more. Within the practice the figures are exact.';

/** A practice's impact report as it may leave the practice: the CSV and the printed page. */
export function protectedImpact(r: ImpactReport): ShownImpactReport {
  const t = new DisclosureTable();
  const c = practiceCells(t, r, r.byDose);
  const a = r.attendance;
  const att = { attended: t.count(a.attended), absent: t.count(a.absent), apologies: t.count(a.apologies), headcount: t.count(a.unnamedHeadcount) };
  const kept = (k: 'weeks4' | 'weeks12') => {
    const x = r.retention[k];
    const cell = { eligible: t.count(x.eligible), retained: t.count(x.retained) };
    t.sum(cell.eligible, [cell.retained, t.unshown(x.eligible - x.retained)]);
    return cell;
  };
  const ret = { weeks4: kept('weeks4'), weeks12: kept('weeks12') };
  t.protect();
  const show = (id: number) => t.shown(id);
  const visible = (...ids: number[]) => ids.every((id) => !t.isHidden(id));
  const over = <T>(id: number, value: T) => shownOver(t, id, value);
  const retained = (k: 'weeks4' | 'weeks12') => ({
    eligible: show(ret[k].eligible),
    retained: show(ret[k].retained),
    rate: visible(ret[k].retained) ? over(ret[k].eligible, r.retention[k].rate) : null,
  });
  const sw = r.wellbeing.swemwbs;
  const ons = r.wellbeing.ons4;
  const gp = r.gpAppointments;
  return {
    ...r,
    funnel: {
      ...r.funnel,
      referred: show(c.referred),
      enrolled: show(c.enrolled),
      attendedOnce: show(c.attendedOnce),
      attendedThreePlus: show(c.attendedThreePlus),
    },
    referrals: {
      ...r.referrals,
      received: show(c.received),
      accepted: show(c.accepted),
      attended: show(c.attended),
      declined: show(c.declined),
      declinedReasons: [],
    },
    attendance: {
      ...a,
      attended: show(att.attended),
      absent: show(att.absent),
      apologies: show(att.apologies),
      unnamedHeadcount: show(att.headcount),
      rate: visible(att.attended, att.absent) && a.attended + a.absent >= 5 ? a.rate : null,
    },
    retention: { ...r.retention, weeks4: retained('weeks4'), weeks12: retained('weeks12') },
    wellbeing: {
      swemwbs: {
        ...sw,
        n: show(c.swemwbsPeople),
        meanBaseline: over(c.swemwbsPeople, sw.meanBaseline),
        meanFollowUp: over(c.swemwbsPeople, sw.meanFollowUp),
        meanChange: over(c.swemwbsPeople, sw.meanChange),
        improvedMeaningfully: over(c.swemwbsPeople, sw.improvedMeaningfully),
      },
      ons4: { ...ons, n: show(c.onsPeople), meanChange: over(c.onsPeople, ons.meanChange) ?? nulls(ons.meanChange) },
    },
    gpAppointments: {
      ...gp,
      n: show(c.gpPeople),
      totalBefore: over(c.gpPeople, gp.totalBefore),
      totalAfterAnnualised: over(c.gpPeople, gp.totalAfterAnnualised),
      medianChange: over(c.gpPeople, gp.medianChange),
    },
    byDose: r.byDose.map((b, i) => shownBand(t, b, c.bands[i]!)),
    method: [...r.method, DISCLOSURE_METHOD],
  } as ShownImpactReport;
}

/** A mean, rate or interval over a count: shown where the count is shown, and 5 or more. */
export function shownOver<T>(t: DisclosureTable, id: number, value: T): T | null {
  return t.isHidden(id) ? null : overFive(Number(t.shown(id)), value);
}

const nulls = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.keys(o).map((k) => [k, null])) as { [K in keyof T]: null };

/** A dose band as shown: its counts protected, and each measure's means only where its count is shown. */
export function shownBand(t: DisclosureTable, b: ImpactReport['byDose'][number], cell: PracticeCells['bands'][number]) {
  // A measure whose count is hidden shows none of its figures: every one of them rests on it.
  const measure = <M extends { n: number }>(id: number, m: M) => ({ ...(t.isHidden(id) ? nulls(m) : m), n: t.shown(id) });
  return {
    band: b.band,
    people: t.shown(cell.people),
    swemwbs: measure(cell.swemwbs, b.swemwbs),
    ons4: t.isHidden(cell.ons4) ? { n: t.shown(cell.ons4), change: nulls(b.ons4.change) } : { ...b.ons4, n: t.shown(cell.ons4) },
    happiness: measure(cell.happiness, b.happiness),
    gpAppointments: measure(cell.gp, b.gpAppointments),
  };
}
