import { round } from '../lib/numbers.js';
/**
 * The few statistics the impact report gives, written out so each can be checked by hand: a mean,
 * a sample standard deviation, and the 95% confidence interval of a mean of paired differences
 * (mean ± t × sd / √n, Student's t with n − 1 degrees of freedom).
 */

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A mean to two places as the report shows it, or null when there is nothing to average. */
export const shownMean = (xs: readonly number[]) => (xs.length ? round(mean(xs)) : null);

/** The middle value (the mean of the middle two for an even count), to two places; null for none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

/** The sample standard deviation (dividing by n − 1). */
export function sampleSd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Student's t for a two-sided 95% interval (the 97.5th percentile) by degrees of freedom, from the
 * published table; between rows it is interpolated in 1/df, as printed tables advise.
 */
const T975: [df: number, t: number][] = [
  [1, 12.7062],
  [2, 4.3027],
  [3, 3.1824],
  [4, 2.7764],
  [5, 2.5706],
  [6, 2.4469],
  [7, 2.3646],
  [8, 2.306],
  [9, 2.2622],
  [10, 2.2281],
  [11, 2.201],
  [12, 2.1788],
  [13, 2.1604],
  [14, 2.1448],
  [15, 2.1314],
  [16, 2.1199],
  [17, 2.1098],
  [18, 2.1009],
  [19, 2.093],
  [20, 2.086],
  [21, 2.0796],
  [22, 2.0739],
  [23, 2.0687],
  [24, 2.0639],
  [25, 2.0595],
  [26, 2.0555],
  [27, 2.0518],
  [28, 2.0484],
  [29, 2.0452],
  [30, 2.0423],
  [40, 2.0211],
  [50, 2.0086],
  [60, 2.0003],
  [80, 1.9901],
  [100, 1.984],
  [120, 1.9799],
  [1000, 1.9623],
];

export function t975(df: number): number {
  if (df < 1) throw new RangeError('t needs at least one degree of freedom');
  const exact = T975.find(([d]) => d === df);
  if (exact) return exact[1];
  if (df > 1000) return 1.96 + (1.9623 - 1.96) * (1000 / df);
  const upper = T975.findIndex(([d]) => d > df);
  const [d0, t0] = T975[upper - 1]!;
  const [d1, t1] = T975[upper]!;
  const at = (1 / df - 1 / d0) / (1 / d1 - 1 / d0);
  return t0 + (t1 - t0) * at;
}

/** Intervals and means rest on at least this many people; fewer are too easily one person's story. */
export const MIN_PEOPLE = 5;

/** The 95% interval of the mean of paired differences, or null under MIN_PEOPLE: `ci95OfSums` of their sums. */
export function ci95(diffs: readonly number[]): [number, number] | null {
  const s = noSums();
  for (const x of diffs) addTo(s, x);
  return ci95OfSums(s);
}

/**
 * What a mean and its interval need of a list of numbers, kept as it is read: how many, their sum
 * and the sum of their squares. Two lists' sums add up to the sums of both, so a programme's
 * figures are its practices' sums added, never a mean of means.
 */
export interface Sums {
  n: number;
  sum: number;
  squares: number;
}

export const noSums = (): Sums => ({ n: 0, sum: 0, squares: 0 });

export function addTo(s: Sums, x: number): void {
  s.n++;
  s.sum += x;
  s.squares += x * x;
}

/** The sample standard deviation from sums: Σ(x − mean)² is Σx² − (Σx)²/n. */
export function sdOfSums(s: Sums): number {
  return Math.sqrt(Math.max(0, s.squares - (s.sum * s.sum) / s.n) / (s.n - 1));
}

/** `ci95` from sums: the same interval, for numbers no longer held one by one. */
export function ci95OfSums(s: Sums): [number, number] | null {
  if (s.n < MIN_PEOPLE) return null;
  const half = (t975(s.n - 1) * sdOfSums(s)) / Math.sqrt(s.n);
  const m = s.sum / s.n;
  return [m - half, m + half];
}
