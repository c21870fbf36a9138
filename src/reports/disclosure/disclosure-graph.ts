// The graph under a disclosure table: each sum a node, each figure an edge between the (at most
// two) sums it is in, the free node standing for "no sum". Which hidden figures are bridges, and
// what bounds a reader can follow through the sums.

/** A figure hidden so that a "<5" beside it cannot be worked out. */
export const COMPLEMENT = '[c]' as const;

export interface Cell {
  value: number;
  /** What hiding it as a complement loses: its value unless said otherwise; the cheapest goes first. */
  cost: number;
  /** Shown in the output (or as good as shown: a figure anyone could assume). */
  published: boolean;
  ends: number[];
  signs: number[];
  hidden: null | '<5' | '[c]';
}

export const FREE = 0;

/** How many sums a step of a long walk takes before it lets its caller have the thread. */
const SUMS_A_STEP = 2048;

/**
 * Signs every sum can be flipped to so that each figure enters its two sums with opposite signs
 * (throws if there are none), a step at a time: a programme's table is a hundred thousand figures.
 */
export function* balancedSteps(cells: Cell[], nodes: number, around: Adjacency): Generator<void, void> {
  const sign = new Array<number>(nodes).fill(0);
  let visited = 0;
  for (let start = 1; start < nodes; start++) {
    if (sign[start] !== 0) continue;
    sign[start] = 1;
    const stack = [start];
    while (stack.length) {
      const u = stack.pop()!;
      if (++visited % SUMS_A_STEP === 0) yield;
      for (const id of around.of(u)) {
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

/**
 * Each sum's figures, in figure order, packed in two typed arrays: a programme's table has tens of
 * thousands of sums, and an array each, built afresh every round, kept the collector copying them
 * for 20 ms at a time (issue 38).
 */
export class Adjacency {
  constructor(
    private readonly start: Int32Array,
    private readonly ids: Int32Array,
  ) {}

  /** The figures in sum `node`. */
  of(node: number): Int32Array {
    return this.ids.subarray(this.start[node]!, this.start[node + 1]!);
  }

  /** The figures in these sums, one list. */
  ofAll(nodes: Iterable<number>): number[] {
    const out: number[] = [];
    for (const n of nodes) for (const id of this.of(n)) out.push(id);
    return out;
  }
}

/**
 * Each sum's figures, a step at a time: two passes over a programme's hundred thousand figures held
 * the thread 11 ms, and with the collector running in the same step 25 ms (issue 38).
 */
export function* adjacencySteps(cells: Cell[], nodes: number, keep: (c: Cell) => boolean): Generator<void, Adjacency> {
  const start = new Int32Array(nodes + 1);
  for (let id = 0; id < cells.length; id++) {
    if (id % FIGURES_A_STEP === FIGURES_A_STEP - 1) yield;
    const c = cells[id]!;
    if (!keep(c)) continue;
    start[c.ends[0]! + 1]!++;
    if (c.ends[1] !== c.ends[0]) start[c.ends[1]! + 1]!++;
  }
  for (let n = 0; n < nodes; n++) start[n + 1]! += start[n]!;
  const ids = new Int32Array(start[nodes]!);
  const at = start.slice(0, nodes);
  yield;
  for (let id = 0; id < cells.length; id++) {
    if (id % FIGURES_A_STEP === FIGURES_A_STEP - 1) yield;
    const c = cells[id]!;
    if (!keep(c)) continue;
    ids[at[c.ends[0]!]!++] = id;
    if (c.ends[1] !== c.ends[0]) ids[at[c.ends[1]!]!++] = id;
  }
  return new Adjacency(start, ids);
}

/** How many figures a step of building the sums' lists takes (about 2 ms of a programme's table). */
export const FIGURES_A_STEP = 16_384;

export const unknown = (c: Cell) => c.hidden !== null || !c.published;

export interface HiddenTree {
  /** Each bridge, with the end of it further from its search tree's root. */
  bridges: Map<number, number>;
  order: number[];
  /** The last order number in each sum's subtree: its subtree is order..last. */
  last: number[];
  root: number[];
  /** The sum at each order number: a subtree, and the rest of its tree, are runs of it. */
  byOrder: number[];
}

/** The hidden (or never shown) figures that no cycle of other such figures runs through (Tarjan's bridges), a step at a time. */
export function* bridgeSteps(cells: Cell[], nodes: number): Generator<void, HiddenTree> {
  const around = yield* adjacencySteps(cells, nodes, unknown);
  yield;
  const order = new Array<number>(nodes).fill(-1);
  const low = new Array<number>(nodes).fill(0);
  const last = new Array<number>(nodes).fill(0);
  const root = new Array<number>(nodes).fill(-1);
  const bridges = new Map<number, number>();
  const byOrder: number[] = [];
  let time = 0;
  let walked = 0;
  for (let r = 0; r < nodes; r++) {
    if (order[r] !== -1) continue;
    // Iterative depth-first search: a programme of a thousand practices is deeper than a call stack likes.
    const stack: { node: number; via: number; next: number }[] = [{ node: r, via: -1, next: 0 }];
    byOrder.push(r);
    order[r] = low[r] = time++;
    root[r] = r;
    while (stack.length) {
      if (++walked % (SUMS_A_STEP * 4) === 0) yield;
      const top = stack[stack.length - 1]!;
      const edges = around.of(top.node);
      if (top.next < edges.length) {
        const id = edges[top.next++]!;
        if (id === top.via) continue;
        const c = cells[id]!;
        const v = c.ends[0] === top.node ? c.ends[1]! : c.ends[0]!;
        if (order[v] === -1) {
          byOrder.push(v);
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
  return { bridges, order, last, root, byOrder };
}

/** The sums reachable from a figure through hidden figures, nearest first (never through the free node). */
export function tiedSums(cells: Cell[], all: Adjacency, from: Cell): number[] {
  const seen = new Set<number>(from.ends.filter((e) => e !== FREE));
  const queue = [...seen];
  for (let k = 0; k < queue.length; k++) {
    for (const id of all.of(queue[k]!)) {
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
const lowestOf = (c: Cell) => (!unknown(c) ? c.value : c.hidden === '<5' ? 1 : c.hidden === COMPLEMENT ? 5 : 0);
const highestOf = (c: Cell) => (!unknown(c) ? c.value : c.hidden === '<5' ? 4 : Infinity);

/**
 * What "<5" and "[c]" (1 to 4; 5 or more) let a reader work out through the sums: each sum's
 * bounds followed to a fixed point, a step at a time; the hidden counts left with one possible value.
 */
export function* boundPasses(cells: Cell[], nodes: number, around: Adjacency): Generator<void, number[]> {
  const lo = cells.map(lowestOf);
  const hi = cells.map(highestOf);
  const signIn = (id: number, node: number) => cells[id]!.signs[cells[id]!.ends[0] === node ? 0 : 1]!;
  yield;
  for (let pass = 0, changed = true; changed && pass < 50; pass++) {
    changed = false;
    for (let node = 1; node < nodes; node++) {
      if (node % SUMS_A_STEP === 0) yield;
      // Σ sign·x = 0. Each side's sums once, then each hidden term against the rest: linear in the sum's size.
      const side = { 1: { lo: 0, hi: 0, open: 0 }, [-1]: { lo: 0, hi: 0, open: 0 } } as Record<number, { lo: number; hi: number; open: number }>;
      for (const id of around.of(node)) {
        const g = side[signIn(id, node)]!;
        g.lo += lo[id]!;
        if (hi[id] === Infinity) g.open++;
        else g.hi += hi[id]!;
      }
      for (const id of around.of(node)) {
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
    yield;
  }
  return cells.flatMap((c, id) => (unknown(c) && lo[id] === hi[id] ? [id] : []));
}

/**
 * The figures that could close a cycle through the bridge above `child`: each has one end in the
 * child's subtree and one in the rest of its tree, so the smaller of the two sides' sums holds them
 * all. Reading that side, not every figure, keeps a programme's table (a thousand practices) quick.
 */
export function acrossBridge(tree: HiddenTree, all: Adjacency, child: number): number[] {
  const top = tree.root[child]!;
  const [from, to] = [tree.order[child]!, tree.last[child]!];
  const inside = to - from + 1;
  const whole = tree.last[top]! - tree.order[top]! + 1;
  const runs =
    inside <= whole - inside
      ? [[from, to]]
      : [
          [tree.order[top]!, from - 1],
          [to + 1, tree.last[top]!],
        ];
  return runs.flatMap(([a, b]) => all.ofAll(tree.byOrder.slice(a, b! + 1)));
}
