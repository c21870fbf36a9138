import { round } from '../../lib/numbers.js';
import { ONS4_ITEMS } from '../../outcomes/wellbeing-scores.js';
import { addTo, ci95OfSums, MIN_PEOPLE, noSums, type Sums } from '../statistics.js';

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

export interface BandFigures {
  band: DoseBand;
  people: number;
  swemwbs: { n: number; baseline: number | null; change: number | null; ci95: [number, number] | null };
  ons4: { n: number; change: Record<(typeof ONS4_ITEMS)[number], number | null> };
  happiness: { n: number; baseline: number | null; change: number | null; ci95: [number, number] | null };
  gpAppointments: { n: number; before: number | null; after: number | null; change: number | null; ci95: [number, number] | null };
}

/** A band's people and, for each figure it shows, the sums of what it is a mean of. */
export interface BandSums {
  people: number;
  swemwbs: { change: Sums; baseline: Sums };
  /** The change in each ONS4 answer, in ONS4_ITEMS' order. */
  ons4: Sums[];
  happiness: { change: Sums; baseline: Sums };
  gp: { change: Sums; before: Sums; after: Sums };
}

export const noBandSums = (): BandSums[] =>
  DOSE_BANDS.map(() => ({
    people: 0,
    swemwbs: { change: noSums(), baseline: noSums() },
    ons4: ONS4_ITEMS.map(() => noSums()),
    happiness: { change: noSums(), baseline: noSums() },
    gp: { change: noSums(), before: noSums(), after: noSums() },
  }));

/** One person into their band's sums. */
export function addPerson(bands: BandSums[], p: PersonDose): void {
  const b = bands[DOSE_BANDS.indexOf(bandOf(p.sessions))]!;
  b.people++;
  if (p.swemwbs) {
    addTo(b.swemwbs.change, p.swemwbs.followUp - p.swemwbs.baseline);
    addTo(b.swemwbs.baseline, p.swemwbs.baseline);
  }
  if (p.ons4) for (const [i, s] of b.ons4.entries()) addTo(s, p.ons4.followUp[i]! - p.ons4.baseline[i]!);
  if (p.happiness) {
    addTo(b.happiness.change, p.happiness.followUp - p.happiness.baseline);
    addTo(b.happiness.baseline, p.happiness.baseline);
  }
  if (p.gp) {
    addTo(b.gp.change, p.gp.after - p.gp.before);
    addTo(b.gp.before, p.gp.before);
    addTo(b.gp.after, p.gp.after);
  }
}

/** Every Sums of a band, in one fixed order: what packing walks. */
const sumsOfBand = (b: BandSums): Sums[] => [
  b.swemwbs.change,
  b.swemwbs.baseline,
  ...b.ons4,
  b.happiness.change,
  b.happiness.baseline,
  b.gp.change,
  b.gp.before,
  b.gp.after,
];

/**
 * Band sums as one array of numbers (each band's people, then n, Σx and Σx² of each of its sums):
 * a thousand practices' kept figures are a thousand arrays to the collector, not a hundred
 * thousand objects (copying those held the thread 10-20 ms at a time).
 */
export function packBandSums(bands: BandSums[]): number[] {
  return bands.flatMap((b) => [b.people, ...sumsOfBand(b).flatMap((x) => [x.n, x.sum, x.squares])]);
}

export function unpackBandSums(packed: readonly number[]): BandSums[] {
  const bands = noBandSums();
  addPackedSums(bands, packed);
  return bands;
}

/** Packed band sums added into `into`, as they are read. */
export function addPackedSums(into: BandSums[], packed: readonly number[]): void {
  let i = 0;
  for (const b of into) {
    b.people += packed[i++]!;
    for (const x of sumsOfBand(b)) {
      x.n += packed[i++]!;
      x.sum += packed[i++]!;
      x.squares += packed[i++]!;
    }
  }
}

const r2 = (x: number) => round(x, 2);
const meanOver = (s: Sums) => (s.n >= MIN_PEOPLE ? r2(s.sum / s.n) : null);
const interval = (s: Sums) => {
  const ci = ci95OfSums(s);
  return ci ? ([r2(ci[0]), r2(ci[1])] as [number, number]) : null;
};

/**
 * Each dose band's figures from the people in it: paired measures only, and a mean or interval only
 * over MIN_PEOPLE or more (null otherwise). Pooled from people, so a programme's bands are the same
 * sums over every practice's people, never an average of practice averages.
 */
export function bandFigures(people: PersonDose[]): BandFigures[] {
  const bands = noBandSums();
  for (const p of people) addPerson(bands, p);
  return figuresOfSums(bands);
}

/** The bands' figures from their sums. */
export function figuresOfSums(bands: BandSums[]): BandFigures[] {
  return bands.map((b, k) => ({
    band: DOSE_BANDS[k]!,
    people: b.people,
    swemwbs: { n: b.swemwbs.change.n, baseline: meanOver(b.swemwbs.baseline), change: meanOver(b.swemwbs.change), ci95: interval(b.swemwbs.change) },
    ons4: {
      n: b.ons4[0]!.n,
      change: Object.fromEntries(ONS4_ITEMS.map((item, i) => [item, meanOver(b.ons4[i]!)])) as BandFigures['ons4']['change'],
    },
    happiness: { n: b.happiness.change.n, baseline: meanOver(b.happiness.baseline), change: meanOver(b.happiness.change), ci95: interval(b.happiness.change) },
    gpAppointments: {
      n: b.gp.change.n,
      before: meanOver(b.gp.before),
      after: meanOver(b.gp.after),
      change: meanOver(b.gp.change),
      ci95: interval(b.gp.change),
    },
  }));
}
