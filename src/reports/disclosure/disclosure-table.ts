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
export type Shown = number | '<5' | '[c]';
export const COMPLEMENT = '[c]' as const;

interface Cell {
  value: number;
  /** What hiding it as a complement loses: its value unless said otherwise; the cheapest goes first. */
  cost: number;
  /** Shown in the output (or as good as shown: a figure anyone could assume). */
  published: boolean;
  ends: number[];
  signs: number[];
  hidden: null | '<5' | '[c]';
}

const FREE = 0;

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
    const all = this.start();
    for (let round = 0; round < this.cells.length; round++) if (this.round(all) === 0) break;
    return this;
  }

  /** The same, letting the thread go as it works (`breather`): a programme's table takes many rounds. */
  async protectInTurns(breather: () => Promise<void>): Promise<this> {
    const all = this.start();
    for (let round = 0; round < this.cells.length; round++) {
      const exposed = this.exposed();
      await breather();
      let added = 0;
      for (const [k, i] of exposed.entries()) {
        if (this.hideComplementOf(i.cell, i.tree, all)) added++;
        if (k % 32 === 31) await breather();
      }
      if (added === 0) break;
    }
    return this;
  }

  private start(): number[][] {
    for (const c of this.cells) {
      if (c.published && c.value > 0 && c.value < 5) c.hidden = '<5';
      // A figure in one sum or none: its other end is the free node (a loop there if none: it ties nothing).
      while (c.ends.length < 2) {
        c.ends.push(FREE);
        c.signs.push(-(c.signs[0] ?? 1));
      }
    }
    checkBalanced(this.cells, this.nodes);
    return adjacency(this.cells, this.nodes, () => true);
  }

  /** One round: every hidden count still exposed gets a complement; how many were hidden. */
  private round(all: number[][]): number {
    let added = 0;
    for (const i of this.exposed()) if (this.hideComplementOf(i.cell, i.tree, all)) added++;
    return added;
  }

  /** The hidden counts that can still be worked out: bridges among the hidden figures, or pinned by bounds. */
  private exposed(): { cell: number; tree: HiddenTree }[] {
    const tree = hiddenBridges(this.cells, this.nodes);
    const pinned = pinnedByBounds(this.cells, this.nodes);
    return [...new Set([...tree.bridges.keys(), ...pinned])].filter((i) => this.cells[i]!.hidden === '<5').map((cell) => ({ cell, tree }));
  }

  private add(value: number, published: boolean, cost = value): number {
    this.cells.push({ value, cost, published, ends: [], signs: [], hidden: null });
    return this.cells.length - 1;
  }

  private attach(id: number, node: number, sign: number) {
    const c = this.cells[id]!;
    if (c.ends.length >= 2) throw new Error('A figure can be in two sums at most');
    c.ends.push(node);
    c.signs.push(sign);
  }

  /**
   * Hides the cheapest figure still shown that closes a cycle of hidden figures through the exposed
   * one, looking first in the sums it is in; a figure pinned by bounds alone gets the smallest
   * figure of its own sums, which widens them.
   */
  private hideComplementOf(i: number, tree: HiddenTree, all: number[][]): boolean {
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
    const ownSums = x.ends.filter((e) => e !== FREE).flatMap((e) => all[e]!);
    let best = pick(ownSums);
    if (best < 0 && child !== undefined) best = pick(this.cells.keys());
    // Nothing closes a cycle, or bounds pin it through sums further off: widen the nearest sum that
    // the hidden figures tie it to, and the next round looks again.
    if (best < 0) best = pick(ownSums, false);
    if (best < 0)
      best = pick(
        tiedSums(this.cells, all, x).flatMap((e) => all[e]!),
        false,
      );
    if (best < 0) return false;
    this.cells[best]!.hidden = COMPLEMENT;
    return true;
  }
}

/** Signs every sum can be flipped to so that each figure enters its two sums with opposite signs. */
function checkBalanced(cells: Cell[], nodes: number) {
  const sign = new Array<number>(nodes).fill(0);
  const around = adjacency(cells, nodes, () => true);
  for (let start = 1; start < nodes; start++) {
    if (sign[start] !== 0) continue;
    sign[start] = 1;
    const stack = [start];
    while (stack.length) {
      const u = stack.pop()!;
      for (const id of around[u]!) {
        const c = cells[id]!;
        const k = c.ends[0] === u ? 0 : 1;
        const v = c.ends[1 - k]!;
        if (v === FREE) continue;
        const want = -(sign[u]! * c.signs[k]!) * c.signs[1 - k]!;
        if (sign[v] === 0) {
          sign[v] = want;
          stack.push(v);
        } else if (sign[v] !== want) throw new Error('These sums cannot be read as a table of rows and columns');
      }
    }
  }
}

function adjacency(cells: Cell[], nodes: number, keep: (c: Cell) => boolean): number[][] {
  const around: number[][] = Array.from({ length: nodes }, () => []);
  cells.forEach((c, id) => {
    if (!keep(c)) return;
    around[c.ends[0]!]!.push(id);
    if (c.ends[1] !== c.ends[0]) around[c.ends[1]!]!.push(id);
  });
  return around;
}

const unknown = (c: Cell) => c.hidden !== null || !c.published;

interface HiddenTree {
  /** Each bridge, with the end of it further from its search tree's root. */
  bridges: Map<number, number>;
  order: number[];
  /** The last order number in each sum's subtree: its subtree is order..last. */
  last: number[];
  root: number[];
}

/** The hidden (or never shown) figures that no cycle of other such figures runs through (Tarjan's bridges). */
export function hiddenBridges(cells: Cell[], nodes: number): HiddenTree {
  const around = adjacency(cells, nodes, unknown);
  const order = new Array<number>(nodes).fill(-1);
  const low = new Array<number>(nodes).fill(0);
  const last = new Array<number>(nodes).fill(0);
  const root = new Array<number>(nodes).fill(-1);
  const bridges = new Map<number, number>();
  let time = 0;
  for (let r = 0; r < nodes; r++) {
    if (order[r] !== -1) continue;
    // Iterative depth-first search: a programme of a thousand practices is deeper than a call stack likes.
    const stack: { node: number; via: number; next: number }[] = [{ node: r, via: -1, next: 0 }];
    order[r] = low[r] = time++;
    root[r] = r;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const edges = around[top.node]!;
      if (top.next < edges.length) {
        const id = edges[top.next++]!;
        if (id === top.via) continue;
        const c = cells[id]!;
        const v = c.ends[0] === top.node ? c.ends[1]! : c.ends[0]!;
        if (order[v] === -1) {
          order[v] = low[v] = time++;
          root[v] = r;
          stack.push({ node: v, via: id, next: 0 });
        } else low[top.node] = Math.min(low[top.node]!, order[v]!);
      } else {
        stack.pop();
        last[top.node] = time - 1;
        const parent = stack[stack.length - 1];
        if (!parent) continue;
        low[parent.node] = Math.min(low[parent.node]!, low[top.node]!);
        if (low[top.node]! > order[parent.node]!) bridges.set(top.via, top.node);
      }
    }
  }
  return { bridges, order, last, root };
}

/** The sums reachable from a figure through hidden figures, nearest first (never through the free node). */
function tiedSums(cells: Cell[], all: number[][], from: Cell): number[] {
  const seen = new Set<number>(from.ends.filter((e) => e !== FREE));
  const queue = [...seen];
  for (let k = 0; k < queue.length; k++) {
    for (const id of all[queue[k]!]!) {
      const c = cells[id]!;
      if (!unknown(c)) continue;
      for (const e of c.ends) {
        if (e === FREE || seen.has(e)) continue;
        seen.add(e);
        queue.push(e);
      }
    }
  }
  return queue;
}

/** What a reader knows of a hidden figure before any sum: "<5" is 1 to 4, "[c]" 5 or more, one never shown 0 or more. */
function boundsOf(c: Cell): [number, number] {
  if (!unknown(c)) return [c.value, c.value];
  if (c.hidden === '<5') return [1, 4];
  if (c.hidden === COMPLEMENT) return [5, Infinity];
  return [0, Infinity];
}

/** Hidden counts a reader narrows to one value by following each sum's bounds until nothing changes. */
export function pinnedByBounds(cells: Cell[], nodes: number): number[] {
  const lo = cells.map((c) => boundsOf(c)[0]);
  const hi = cells.map((c) => boundsOf(c)[1]);
  const around = adjacency(cells, nodes, () => true);
  const signIn = (id: number, node: number) => cells[id]!.signs[cells[id]!.ends[0] === node ? 0 : 1]!;
  for (let pass = 0, changed = true; changed && pass < 50; pass++) {
    changed = false;
    for (let node = 1; node < nodes; node++) {
      // Σ sign·x = 0. Each side's sums once, then each hidden term against the rest: linear in the sum's size.
      const side = { 1: { lo: 0, hi: 0, open: 0 }, [-1]: { lo: 0, hi: 0, open: 0 } } as Record<number, { lo: number; hi: number; open: number }>;
      for (const id of around[node]!) {
        const g = side[signIn(id, node)]!;
        g.lo += lo[id]!;
        if (hi[id] === Infinity) g.open++;
        else g.hi += hi[id]!;
      }
      for (const id of around[node]!) {
        if (!unknown(cells[id]!)) continue;
        const sign = signIn(id, node);
        const same = side[sign]!;
        const other = side[-sign]!;
        // x = (the other side) − (the rest of its own side).
        const restHi = same.open - (hi[id] === Infinity ? 1 : 0) > 0 ? Infinity : same.hi - (hi[id] === Infinity ? 0 : hi[id]!);
        const restLo = same.lo - lo[id]!;
        const min = other.lo - restHi;
        const max = other.open > 0 ? Infinity : other.hi - restLo;
        if (min > lo[id]!) {
          lo[id] = min;
          changed = true;
        }
        if (max < hi[id]!) {
          hi[id] = max;
          changed = true;
        }
      }
    }
  }
  return cells.flatMap((c, id) => (unknown(c) && lo[id] === hi[id] ? [id] : []));
}
