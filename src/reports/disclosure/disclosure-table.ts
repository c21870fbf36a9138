/**
 * Disclosure control for figures that leave a practice. A count from 1 to 4 is shown as "<5"
 * (primary suppression); where the figures beside it would give it back by subtraction (a total
 * less its other parts, a pooled row less the other practices), a further figure is hidden as
 * "[c]" (complementary suppression) until none can.
 *
 * The figures and the sums that tie them are a graph: every sum is a node, every figure an edge
 * between the (at most two) sums it is in, a figure in one sum only an edge to a shared "free"
 * node. The hidden figures can be worked out exactly when, and only when, one is a bridge among
 * the hidden edges (no cycle of hidden figures runs through it), so a hidden figure on a cycle is
 * safe from any combination of additions and subtractions. What "<5" and "[c]" say about a figure
 * (1 to 4; 5 or more) can narrow it too, so each sum's bounds are followed to a fixed point and a
 * hidden count left with one possible value gets a complement as well.
 */
import {
  acrossBridge,
  adjacencySteps,
  type Adjacency,
  balancedSteps,
  bridgeSteps,
  boundPasses,
  COMPLEMENT,
  FREE,
  tiedSums,
  type Cell,
  type HiddenTree,
} from './disclosure-graph.js';
import { runSteps, runStepsInTurns } from '../../lib/yielder.js';

export type Shown = number | '<5' | '[c]';
export { COMPLEMENT };

/** Figures looked at in one step of a pass over the whole table (a programme's has tens of thousands). */
const CELLS_A_STEP = 4096;

export class DisclosureTable {
  private readonly cells: Cell[] = [];
  private nodes = 1;

  /** A figure the output shows; `cost` ranks it as a complement (its value unless a total matters less, or more, than its parts). */
  count(value: number, cost = value): number {
    return this.add(value, true, cost);
  }

  /** A figure the output does not show but that ties others (people referred and never given a place). */
  unshown(value: number): number {
    return this.add(value, false);
  }

  /** `total` is the sum of `parts`. A figure may be in two sums at most (a row's and a column's). */
  sum(total: number, parts: number[]): void {
    const node = this.nodes++;
    this.attach(total, node, 1);
    for (const p of parts) this.attach(p, node, -1);
  }

  shown(id: number): Shown {
    const c = this.cells[id]!;
    return c.hidden ?? c.value;
  }

  isHidden(id: number): boolean {
    return this.cells[id]!.hidden !== null;
  }

  /** Hide 1-4 as "<5", then complements until no hidden count can be worked out. */
  protect(): this {
    runSteps(this.work());
    return this;
  }

  /** The same, letting the thread go as it works (`breather`): a programme's table takes many rounds. */
  async protectInTurns(breather: () => Promise<void>): Promise<this> {
    await runStepsInTurns(this.work(), breather);
    return this;
  }

  /**
   * The whole of it, one step at a time (a generator): each step is linear in the table at most,
   * so a caller with a programme's table can let the thread go between them.
   */
  private *work(): Generator<void, void> {
    yield* this.primary();
    yield;
    const all = yield* adjacencySteps(this.cells, this.nodes, () => true);
    yield;
    yield* balancedSteps(this.cells, this.nodes, all);
    for (let round = 0; round < this.cells.length; round++) {
      const tree = yield* bridgeSteps(this.cells, this.nodes);
      const pinned = yield* boundPasses(this.cells, this.nodes, all);
      let added = 0;
      for (const i of this.exposedOf(tree, pinned)) {
        if (this.hideComplementOf(i.cell, i.tree, all)) added++;
        yield;
      }
      if (added === 0) break;
    }
  }

  private *primary(): Generator<void, void> {
    for (const [i, c] of this.cells.entries()) {
      if (i % CELLS_A_STEP === CELLS_A_STEP - 1) yield;
      if (c.published && c.value > 0 && c.value < 5) c.hidden = '<5';
      // A figure in one sum or none: its other end is the free node (a loop there if none: it ties nothing).
      if (c.ends.length === 0)
        [c.ends, c.signs] = [
          [FREE, FREE],
          [1, -1],
        ];
      else if (c.ends.length === 1)
        [c.ends, c.signs] = [
          [c.ends[0]!, FREE],
          [c.signs[0]!, -c.signs[0]!],
        ];
    }
  }

  private exposedOf(tree: HiddenTree, pinned: number[]): { cell: number; tree: HiddenTree }[] {
    return [...new Set([...tree.bridges.keys(), ...pinned])].filter((i) => this.cells[i]!.hidden === '<5').map((cell) => ({ cell, tree }));
  }

  private add(value: number, published: boolean, cost = value): number {
    this.cells.push({ value, cost, published, ends: [], signs: [], hidden: null });
    return this.cells.length - 1;
  }

  private attach(id: number, node: number, sign: number) {
    const c = this.cells[id]!;
    if (c.ends.length >= 2) throw new Error('A figure can be in two sums at most');
    // Arrays made to size: one pushed onto from empty keeps room for seventeen, and a programme's
    // table has tens of thousands of figures for the collector to copy (issue 38).
    [c.ends, c.signs] =
      c.ends.length === 0
        ? [[node], [sign]]
        : [
            [c.ends[0]!, node],
            [c.signs[0]!, sign],
          ];
  }

  /**
   * Hides the cheapest figure still shown that closes a cycle of hidden figures through the exposed
   * one, looking first in the sums it is in; a figure pinned by bounds alone gets the smallest
   * figure of its own sums, which widens them.
   */
  private hideComplementOf(i: number, tree: HiddenTree, all: Adjacency): boolean {
    const x = this.cells[i]!;
    const child = tree.bridges.get(i);
    const closes = (y: Cell) => {
      if (child === undefined) return true;
      const inside = (n: number) => tree.order[n]! >= tree.order[child]! && tree.order[n]! <= tree.last[child]!;
      const [a, b] = y.ends as [number, number];
      return inside(a) !== inside(b) && tree.root[a] === tree.root[b] && tree.root[a] === tree.root[child];
    };
    // Pinned by bounds alone: a complement of exactly 5 adds no room ("[c]" says 5 or more), so one
    // with room is preferred.
    const roomy = (y: Cell) => child !== undefined || y.value > 5;
    const pick = (ids: Iterable<number>, mustClose = true) => {
      let best = -1;
      for (const j of ids) {
        const y = this.cells[j]!;
        if (j === i || y.hidden !== null || !y.published || y.value <= 0 || (mustClose && !closes(y))) continue;
        const b = best < 0 ? undefined : this.cells[best]!;
        if (!b || (roomy(y) && !roomy(b)) || (roomy(y) === roomy(b) && y.cost < b.cost)) best = j;
      }
      return best;
    };
    const ownSums = all.ofAll(x.ends.filter((e) => e !== FREE));
    let best = pick(ownSums);
    if (best < 0 && child !== undefined) best = pick(acrossBridge(tree, all, child));
    // Nothing closes a cycle, or bounds pin it through sums further off: widen the nearest sum that
    // the hidden figures tie it to, and the next round looks again.
    if (best < 0) best = pick(ownSums, false);
    if (best < 0) best = pick(all.ofAll(tiedSums(this.cells, all, x)), false);
    if (best < 0) return false;
    this.cells[best]!.hidden = COMPLEMENT;
    return true;
  }
}
