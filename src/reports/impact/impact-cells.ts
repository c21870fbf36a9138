import type { BandFigures } from './dose-bands.js';
import type { ImpactSections } from './impact-report.js';
import { DisclosureTable } from '../disclosure/disclosure-table.js';

/** Where each count of one practice's report sits in a disclosure table. */
export interface PracticeCells {
  referred: number;
  enrolled: number;
  attendedOnce: number;
  attendedThreePlus: number;
  received: number;
  accepted: number;
  attended: number;
  declined: number;
  swemwbsPeople: number;
  onsPeople: number;
  gpPeople: number;
  bands: { people: number; swemwbs: number; ons4: number; happiness: number; gp: number }[];
}

/**
 * A practice's counts and the sums a reader could use against them, taken as exact even where
 * the populations differ a little (someone referred before the period and placed in it): a
 * reader who assumes they are equal is often right, so they are protected as if they were.
 * Given a place = never came (band 0) + came once or more; once or more = bands 1 and 2 + three
 * or more; three or more = bands 3-5 and 6+; each measure's people = its people in every band
 * (GP: in the bands of 3 or more). Received referrals = accepted + declined + those still waiting
 * (as good as shown: anyone can assume none wait).
 */
/** The counts of a practice's report its cells are made from: the report's own sections, or a programme's summary of them. */
export interface CellCounts {
  funnel: Pick<ImpactSections['funnel'], 'referred' | 'enrolled' | 'attendedOnce' | 'attendedThreePlus'>;
  referrals: Pick<ImpactSections['referrals'], 'received' | 'accepted' | 'attended' | 'declined'>;
  wellbeing: { swemwbs: { n: number }; ons4: { n: number } };
  gpAppointments: { n: number };
}

export function practiceCells(t: DisclosureTable, r: CellCounts, bands: BandFigures[]): PracticeCells {
  const f = r.funnel;
  const c: PracticeCells = {
    referred: t.count(f.referred),
    enrolled: t.count(f.enrolled),
    attendedOnce: t.count(f.attendedOnce),
    attendedThreePlus: t.count(f.attendedThreePlus),
    received: t.count(r.referrals.received),
    accepted: t.count(r.referrals.accepted),
    attended: t.count(r.referrals.attended),
    declined: t.count(r.referrals.declined),
    // A measure's total is hidden before a band: the bands are the gradient the report is for.
    swemwbsPeople: t.count(r.wellbeing.swemwbs.n, r.wellbeing.swemwbs.n / 4),
    onsPeople: t.count(r.wellbeing.ons4.n, r.wellbeing.ons4.n / 4),
    gpPeople: t.count(r.gpAppointments.n, r.gpAppointments.n / 4),
    bands: bands.map((b) => ({
      people: t.count(b.people),
      swemwbs: t.count(b.swemwbs.n),
      ons4: t.count(b.ons4.n),
      happiness: t.count(b.happiness.n),
      gp: t.count(b.gpAppointments.n),
    })),
  };
  const [b0, b1, b2, b35, b6] = c.bands as [PracticeCells['bands'][number], ...PracticeCells['bands']];
  t.sum(c.referred, [c.enrolled, t.unshown(Math.max(0, f.referred - f.enrolled))]);
  t.sum(c.enrolled, [b0.people, c.attendedOnce]);
  t.sum(c.attendedOnce, [b1!.people, b2!.people, c.attendedThreePlus]);
  t.sum(c.attendedThreePlus, [b35!.people, b6!.people]);
  t.sum(
    c.swemwbsPeople,
    c.bands.map((b) => b.swemwbs),
  );
  t.sum(
    c.onsPeople,
    c.bands.map((b) => b.ons4),
  );
  t.sum(c.gpPeople, [b35!.gp, b6!.gp]);
  const rf = r.referrals;
  t.sum(c.received, [c.accepted, c.declined, t.count(Math.max(0, rf.received - rf.accepted - rf.declined))]);
  t.sum(c.accepted, [c.attended, t.unshown(Math.max(0, rf.accepted - rf.attended))]);
  return c;
}
