import { describe, expect, it } from 'vitest';
import { adjacencySteps, FIGURES_A_STEP, type Cell } from '../src/reports/disclosure/disclosure-graph.js';
import { DisclosureTable } from '../src/reports/disclosure/disclosure-table.js';
import { recovered, type Sum } from './helpers/disclosure-attack.js';

/** A table of rows and columns with its margins and grand total, as an output would show it. */
function protectedGrid(values: number[][]) {
  const t = new DisclosureTable();
  const cell = values.map((row) => row.map((v) => t.count(v)));
  const rowTotals = values.map((row) => t.count(row.reduce((a, b) => a + b, 0)));
  const colTotals = values[0]!.map((_, j) => t.count(values.reduce((a, row) => a + row[j]!, 0)));
  const grand = t.count(values.flat().reduce((a, b) => a + b, 0));
  values.forEach((_, i) => t.sum(rowTotals[i]!, cell[i]!));
  values[0]!.forEach((_, j) =>
    t.sum(
      colTotals[j]!,
      cell.map((row) => row[j]!),
    ),
  );
  t.sum(grand, colTotals);
  t.protect();
  const shown: Record<string, unknown> = {};
  const sums: Sum[] = [];
  values.forEach((row, i) => {
    row.forEach((_, j) => (shown[`r${i}c${j}`] = t.shown(cell[i]![j]!)));
    shown[`r${i}`] = t.shown(rowTotals[i]!);
    sums.push({ total: `r${i}`, parts: row.map((_, j) => `r${i}c${j}`) });
  });
  values[0]!.forEach((_, j) => {
    shown[`c${j}`] = t.shown(colTotals[j]!);
    sums.push({ total: `c${j}`, parts: values.map((_, i) => `r${i}c${j}`) });
  });
  shown.all = t.shown(grand);
  sums.push({ total: 'all', parts: values[0]!.map((_, j) => `c${j}`) });
  return { shown: shown as Record<string, number | string>, sums };
}

/** A small deterministic generator, so a failure can be replayed. */
function seeded(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('disclosure control: a figure hidden as <5 cannot be worked out from the others', () => {
  it('a worked example: a band of 4 hidden beside its total gets the next smallest band hidden with it', () => {
    // Enrolled 30 = 4 + 6 + 20: "<5" alone gives 30 − 6 − 20 = 4 back, so the 6 goes too.
    const t = new DisclosureTable();
    const bands = [4, 6, 20].map((v) => t.count(v));
    const total = t.count(30);
    t.sum(total, bands);
    t.protect();
    expect(bands.map((b) => t.shown(b))).toEqual(['<5', '[c]', 20]);
    expect(t.shown(total)).toBe(30);
    expect(recovered([{ total: 'all', parts: ['a', 'b', 'c'] }], { all: 30, a: '<5', b: '[c]', c: 20 })).toEqual([]);
  });

  it('the attacker finds what suppressing the small cell alone leaves open', () => {
    // The attacker is the test's own: it must find the subtraction, or passing tests would prove nothing.
    expect(recovered([{ total: 'all', parts: ['a', 'b', 'c'] }], { all: 30, a: '<5', b: 6, c: 20 })).toEqual(['a']);
    // Two hidden that are both 1 (a sum of 2) are pinned by what "<5" says: 1 to 4 each.
    expect(recovered([{ total: 'all', parts: ['a', 'b', 'c'] }], { all: 22, a: '<5', b: '<5', c: 20 })).toEqual(['a', 'b']);
    // A pooled row less the other practice.
    expect(
      recovered(
        [
          { total: 'pooled', parts: ['p1', 'p2'] },
          { total: 'p1', parts: ['p1a'] },
        ],
        { pooled: 12, p1: '<5', p2: 9, p1a: '<5' },
      ),
    ).toEqual(['p1', 'p1a']);
  });

  it('the bounds of "<5" and "[c]" do not pin a hidden 1 beside a complement of exactly 5', () => {
    const t = new DisclosureTable();
    const parts = [1, 5, 30].map((v) => t.count(v));
    const total = t.count(36);
    t.sum(total, parts);
    t.protect();
    const shown = { all: t.shown(total), a: t.shown(parts[0]!), b: t.shown(parts[1]!), c: t.shown(parts[2]!) };
    expect(shown.a).toBe('<5');
    expect(recovered([{ total: 'all', parts: ['a', 'b', 'c'] }], shown)).toEqual([]);
  });

  it('a thousand random tables with margins (practices by bands), attacked across rows, columns and totals', () => {
    const next = seeded(20261204);
    for (let trial = 0; trial < 1000; trial++) {
      const rows = 2 + Math.floor(next() * 6);
      const cols = 2 + Math.floor(next() * 4);
      const values = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (next() < 0.35 ? Math.floor(next() * 5) : Math.floor(next() * 40))));
      const { shown, sums } = protectedGrid(values);
      expect({ trial, values, shown, found: recovered(sums, shown) }).toEqual({ trial, values, shown, found: [] });
    }
  });

  it('a sum that cannot be read as rows and columns is refused rather than protected wrongly', () => {
    // a + b, a + c and b + c: an odd cycle of sums, which no choice of signs makes rows and columns.
    const t = new DisclosureTable();
    const [a, b, c] = [t.count(3), t.count(7), t.count(9)];
    t.sum(t.count(10), [a, b]);
    t.sum(t.count(12), [a, c]);
    t.sum(t.count(16), [b, c]);
    expect(() => t.protect()).toThrow(/rows and columns/);
  });
});

describe("a programme's table is protected a step at a time", () => {
  it("builds the lists of each sum's figures over many steps, the same lists as in one go", () => {
    // A hundred thousand figures in 20,000 sums of five, each figure also in one of a few totals.
    const cells: Cell[] = Array.from({ length: 100_000 }, (_, i) => ({
      value: i % 7,
      cost: i % 7,
      published: true,
      ends: [1 + Math.floor(i / 5), 20_001 + (i % 3)],
      signs: [1, -1],
      hidden: null,
    }));
    const steps = adjacencySteps(cells, 20_004, () => true);
    let turns = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) turns++;
    expect(turns).toBeGreaterThanOrEqual(2 * Math.floor(cells.length / FIGURES_A_STEP));
    const all = r.value;
    expect([...all.of(7)]).toEqual([30, 31, 32, 33, 34]);
    expect(all.of(20_001).length).toBe(33_334);
    expect([...all.of(20_003)].slice(0, 3)).toEqual([2, 5, 8]);
  });
});
