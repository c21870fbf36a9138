import { describe, expect, it } from 'vitest';
import { addTo, ci95, ci95OfSums, mean, noSums, sampleSd, sdOfSums, t975 } from '../src/reports/statistics.js';

describe('the statistics the impact report gives, against worked examples', () => {
  it('a paired mean change and its 95% interval, by hand', () => {
    // Changes 2, 4, 6, 8, 10: mean 6; squared deviations 16 + 4 + 0 + 4 + 16 = 40, over n − 1 = 4 is 10,
    // so sd = √10 = 3.1623; se = 3.1623 / √5 = 1.4142; t(4) = 2.7764; half-width 3.9264.
    const d = [2, 4, 6, 8, 10];
    expect(mean(d)).toBe(6);
    expect(sampleSd(d)).toBeCloseTo(3.1623, 4);
    const [low, high] = ci95(d)!;
    expect(low).toBeCloseTo(2.0736, 3);
    expect(high).toBeCloseTo(9.9264, 3);
  });

  it("a textbook example: Student's sleep data (n = 10, mean difference 1.58, interval 0.70 to 2.46)", () => {
    const diffs = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4];
    expect(mean(diffs)).toBeCloseTo(1.58, 2);
    const [low, high] = ci95(diffs)!;
    expect(low).toBeCloseTo(0.7001, 3);
    expect(high).toBeCloseTo(2.4599, 3);
  });

  it('t follows the table, interpolated in 1/df between rows; no interval under 5 people', () => {
    expect(t975(4)).toBe(2.7764);
    expect(t975(30)).toBe(2.0423);
    // Between 30 (2.0423) and 40 (2.0211): 35 lies 3/7 of the way in 1/df.
    expect(t975(35)).toBeCloseTo(2.0423 + (2.0211 - 2.0423) * ((1 / 35 - 1 / 30) / (1 / 40 - 1 / 30)), 6);
    expect(t975(35)).toBeCloseTo(2.0301, 3);
    expect(t975(100_000)).toBeCloseTo(1.96, 3);
    expect(ci95([1, 2, 3, 4])).toBeNull();
  });

  it('the same interval from sums (n, Σx, Σx²), and from two halves’ sums added, as a programme adds its practices', () => {
    // Changes 2, 4, 6, 8, 10: n 5, Σx 30, Σx² 4 + 16 + 36 + 64 + 100 = 220; Σ(x − mean)² = 220 − 30² / 5 = 40, as above.
    const all = noSums();
    for (const x of [2, 4, 6, 8, 10]) addTo(all, x);
    expect(all).toEqual({ n: 5, sum: 30, squares: 220 });
    expect(sdOfSums(all)).toBeCloseTo(3.1623, 4);
    const [low, high] = ci95OfSums(all)!;
    expect(low).toBeCloseTo(2.0736, 3);
    expect(high).toBeCloseTo(9.9264, 3);
    const [a, b] = [noSums(), noSums()];
    for (const x of [2, 4]) addTo(a, x);
    for (const x of [6, 8, 10]) addTo(b, x);
    expect(ci95OfSums({ n: a.n + b.n, sum: a.sum + b.sum, squares: a.squares + b.squares })).toEqual(ci95OfSums(all));
    expect(ci95OfSums(a)).toBeNull();
    const sleep = noSums();
    for (const x of [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]) addTo(sleep, x);
    expect(ci95OfSums(sleep)![0]).toBeCloseTo(0.7001, 3);
    expect(ci95OfSums(sleep)![1]).toBeCloseTo(2.4599, 3);
  });
});
