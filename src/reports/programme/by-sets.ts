import { queryBudget } from '../../db/query-budget.js';
import { turn } from '../../lib/yielder.js';

/** How long a set of practices' queries may hold the thread on Node before requests get a turn. */
const NODE_SET_MS = 10;
/** More at once holds the thread longer in single statements that cannot be split (sixteen small practices' held it 51 ms). */
const NODE_MOST_AT_ONCE = 4;

/**
 * D1 counts queries: every practice in one set, each with its own bounds in one JSON table, the
 * same queries for 2 practices or 1,000. Node's SQLite answers on the thread that serves
 * requests: a few practices at a time, letting requests in between, as many as took about
 * NODE_SET_MS the last time. A real practice's three years cost ten times a small practice's
 * year, so no fixed number fits both (four held the thread 40 ms on small ones, 61 ms on real ones).
 */
export async function bySets<T, R>(items: T[], run: (some: T[]) => Promise<R[]>): Promise<R[]> {
  if (queryBudget()) return items.length ? run(items) : [];
  const out: R[] = [];
  let size = 2;
  for (let i = 0; i < items.length;) {
    const some = items.slice(i, i + size);
    const started = Date.now();
    out.push(...(await run(some)));
    i += some.length;
    const took = Date.now() - started;
    await turn();
    size = Math.max(1, Math.min(NODE_MOST_AT_ONCE, Math.round((some.length * NODE_SET_MS) / Math.max(took, 1))));
  }
  return out;
}
