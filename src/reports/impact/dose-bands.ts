import { round } from '../../lib/numbers.js';
import { runSteps, runStepsInTurns } from '../../lib/yielder.js';
import { ONS4_ITEMS } from '../../outcomes/wellbeing-scores.js';
import { ci95, mean, MIN_PEOPLE } from '../statistics.js';

/** Sessions attended (present or late) in the report's groups and period; "0" is given a place and never came. */
export const DOSE_BANDS = ['0', '1', '2', '3-5', '6+'] as const;
export type DoseBand = (typeof DOSE_BANDS)[number];
export const bandOf = (sessions: number): DoseBand => (sessions === 0 ? '0' : sessions === 1 ? '1' : sessions === 2 ? '2' : sessions <= 5 ? '3-5' : '6+');

/** One person given a place, with what the report pairs for them. */
export interface PersonDose {
  /** A keyed hash of their CHI number, for a programme to count someone in two practices once; never the number. */
  key?: string;
  sessions: number;
  /** SWEMWBS metric scores: the first taken, and the latest at least 8 weeks on. */
  swemwbs: { baseline: number; followUp: number } | null;
  ons4: { baseline: number[]; followUp: number[] } | null;
  /** ONS4's happiness question on its own (asked by text, or on a form): the first answer and the latest at least 8 weeks on. */
  happiness: { baseline: number; followUp: number } | null;
  /** GP appointments in the year before they were given a place, and in the year from it (annualised). */
  gp: { before: number; after: number } | null;
}

/**
 * Everyone once across practices: people with the same keyed CHI are one person, their sessions
 * added and their first pair of each measure kept. People without a CHI cannot be matched and
 * count once in each practice.
 */
export function onceAcrossPractices(people: PersonDose[]): PersonDose[] {
  const byKey = new Map<string, PersonDose>();
  const out: PersonDose[] = [];
  for (const p of people) {
    // Most people have no shared key: kept as they are (copying a programme's hundred thousand was most of its cost).
    if (!p.key) {
      out.push(p);
      continue;
    }
    const seen = byKey.get(p.key);
    if (!seen) {
      const copy = { ...p };
      out.push(copy);
      byKey.set(p.key, copy);
      continue;
    }
    seen.sessions += p.sessions;
    seen.swemwbs ??= p.swemwbs;
    seen.ons4 ??= p.ons4;
    seen.happiness ??= p.happiness;
    seen.gp ??= p.gp;
  }
  return out;
}

/** A keyed hash made for one report and forgotten after it: matches CHI numbers without keeping them or letting them be guessed back. */
export async function oneReportKey(): Promise<(chi: string) => Promise<string>> {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const enc = new TextEncoder();
  return async (chi) => {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(chi)));
    return Array.from(mac.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  };
}

type Pair = { baseline: number; followUp: number };
type Ons4Pair = { baseline: number[]; followUp: number[] };
type GpPair = { before: number; after: number };

export interface BandFigures {
  band: DoseBand;
  people: number;
  swemwbs: { n: number; baseline: number | null; change: number | null; ci95: [number, number] | null };
  ons4: { n: number; change: Record<(typeof ONS4_ITEMS)[number], number | null> };
  happiness: { n: number; baseline: number | null; change: number | null; ci95: [number, number] | null };
  gpAppointments: { n: number; before: number | null; after: number | null; change: number | null; ci95: [number, number] | null };
}

const r2 = (x: number) => round(x, 2);
const meanOver = (xs: number[]) => (xs.length >= MIN_PEOPLE ? r2(mean(xs)) : null);
const interval = (xs: number[]) => {
  const ci = ci95(xs);
  return ci ? ([r2(ci[0]), r2(ci[1])] as [number, number]) : null;
};

/**
 * Each dose band's figures from the people in it: paired measures only, and a mean or interval only
 * over MIN_PEOPLE or more (null otherwise). Pooled from people, so a programme's bands are the same
 * sums over every practice's people, never an average of practice averages.
 */
export function bandFigures(people: PersonDose[]): BandFigures[] {
  return runSteps(bandSteps(people));
}

/** The same, the thread let go between steps: a programme's hundred thousand people. */
export function bandFiguresInTurns(people: PersonDose[], breather: () => Promise<void>): Promise<BandFigures[]> {
  return runStepsInTurns(bandSteps(people), breather);
}

/** People sorted into bands a step at a time: a programme has a hundred thousand. */
const PEOPLE_A_STEP = 10_000;

type Bucket = { people: number; sw: Pair[]; on: Ons4Pair[]; gp: GpPair[]; hp: Pair[] };

/** One pass over the people, each band's pairs gathered as it goes, then each band's figures. */
function* bandSteps(people: PersonDose[]): Generator<void, BandFigures[]> {
  const bands = new Map(DOSE_BANDS.map((b) => [b, { people: 0, sw: [], on: [], gp: [], hp: [] } as Bucket]));
  for (const [i, p] of people.entries()) {
    if (i % PEOPLE_A_STEP === PEOPLE_A_STEP - 1) yield;
    const into = bands.get(bandOf(p.sessions))!;
    into.people++;
    if (p.swemwbs) into.sw.push(p.swemwbs);
    if (p.ons4) into.on.push(p.ons4);
    if (p.gp) into.gp.push(p.gp);
    if (p.happiness) into.hp.push(p.happiness);
  }
  const out: BandFigures[] = [];
  for (const band of DOSE_BANDS) out.push(yield* figuresOf(band, bands.get(band)!));
  return out;
}

/**
 * A band's figures, its pairs read a slice at a time: the programme's "6+" band holds most of its
 * hundred thousand people, whose pairs lie scattered in memory (reading one measure's took 16-21 ms).
 * The figures are the same sums over the same arrays, in the same order, as reading them at once.
 */
function* figuresOf(band: DoseBand, { people: inBand, sw, on, gp, hp }: Bucket): Generator<void, BandFigures> {
  const swChange = yield* mapSteps(sw, (x) => x.followUp - x.baseline);
  const swBaseline = yield* mapSteps(sw, (x) => x.baseline);
  const change: Partial<BandFigures['ons4']['change']> = {};
  for (const [i, item] of ONS4_ITEMS.entries()) change[item] = meanOver(yield* mapSteps(on, (x) => x.followUp[i]! - x.baseline[i]!));
  const hpChange = yield* mapSteps(hp, (x) => x.followUp - x.baseline);
  const hpBaseline = yield* mapSteps(hp, (x) => x.baseline);
  const gpChange = yield* mapSteps(gp, (x) => x.after - x.before);
  const gpBefore = yield* mapSteps(gp, (x) => x.before);
  const gpAfter = yield* mapSteps(gp, (x) => x.after);
  return {
    band,
    people: inBand,
    swemwbs: { n: sw.length, baseline: meanOver(swBaseline), change: meanOver(swChange), ci95: interval(swChange) },
    ons4: { n: on.length, change: change as BandFigures['ons4']['change'] },
    happiness: { n: hp.length, baseline: meanOver(hpBaseline), change: meanOver(hpChange), ci95: interval(hpChange) },
    gpAppointments: { n: gp.length, before: meanOver(gpBefore), after: meanOver(gpAfter), change: meanOver(gpChange), ci95: interval(gpChange) },
  };
}

/** `xs.map(f)`, a step every PEOPLE_A_STEP. */
function* mapSteps<T>(xs: T[], f: (x: T) => number): Generator<void, number[]> {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (i % PEOPLE_A_STEP === PEOPLE_A_STEP - 1) yield;
    out.push(f(xs[i]!));
  }
  yield;
  return out;
}
