import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { AppError } from '../lib/errors.js';

/**
 * How many database queries one invocation may make. D1 refuses the 51st query of a Workers Free
 * invocation (1,000 on Paid): past that, work stops wherever it was. Work that knows its budget
 * takes on only what it can finish; the budget itself refuses the query that would go over, so
 * the platform's limit is never what stops us.
 */
export class QueryBudget {
  used = 0;
  constructor(readonly limit: number) {}

  get left(): number {
    return this.limit - this.used;
  }

  /** Whether `n` more queries fit. */
  has(n: number): boolean {
    return this.used + n <= this.limit;
  }

  spend(n = 1): void {
    if (!this.has(n)) {
      // Trying again cannot help: the same request needs the same queries. No Retry-After.
      throw new AppError(
        'over_query_budget',
        `This needs more than the ${this.limit} database queries one request may make here, and would need them again if repeated: ask for less at once (a shorter period, one group, or fewer practices with practiceIds), or ask whoever runs the server to raise D1_QUERY_BUDGET (1000 on Workers Paid)`,
        { limit: this.limit },
      );
    }
    this.used += n;
  }
}

// Per invocation, not per isolate: a Worker serves concurrent requests from one module scope.
const invocation = new AsyncLocalStorage<QueryBudget>();

/** Runs `work` with every query it makes counted against `budget`. */
export function withQueryBudget<T>(budget: QueryBudget, work: () => T): T {
  return invocation.run(budget, work);
}

/** The budget of the invocation this runs in; undefined where queries are not limited (Node). */
export function queryBudget(): QueryBudget | undefined {
  return invocation.getStore();
}

/** What a request does after its main write: its audit entry, the answer's reads, the idempotency record. */
export const AFTER_WRITE_QUERIES = 5;

/** Whether `n` more queries fit in this invocation (always, where nothing limits them). */
export function canQuery(n: number): boolean {
  return invocation.getStore()?.has(n) ?? true;
}

/** Counts a query Kysely did not build (a statement compiled once and run again with new parameters). */
export function countQuery(): void {
  invocation.getStore()?.spend(1);
}

/**
 * Counts each query as Kysely builds it (raw `sql` and compiled batches included) against the
 * running invocation's budget, refusing the one that would go over before it reaches the database.
 */
export class CountQueries implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    invocation.getStore()?.spend(1);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * A share of what is left of the running budget, set aside for one step of a larger piece of work
 * so that it cannot starve the steps after it. Queries still count on the budget itself.
 */
export class Allowance {
  private readonly stopAt: number;

  constructor(
    private readonly budget: QueryBudget | undefined,
    share: number,
  ) {
    this.stopAt = budget ? budget.used + Math.floor(budget.left * share) : Infinity;
  }

  has(n: number): boolean {
    return !this.budget || (this.budget.has(n) && this.budget.used + n <= this.stopAt);
  }

  get left(): number {
    return this.budget ? Math.max(0, Math.min(this.budget.left, this.stopAt - this.budget.used)) : Infinity;
  }
}

/**
 * The items starting one further along each minute: a pass whose budget reaches only the first few
 * still comes round to every one in turn.
 */
export function inTurn<T>(items: readonly T[], now: number): T[] {
  const start = Math.floor(now / 60_000) % Math.max(1, items.length);
  return [...items.slice(start), ...items.slice(0, start)];
}

/** `share` of what the running invocation has left (unlimited where nothing limits it). */
export function allowance(share = 1): Allowance {
  return new Allowance(invocation.getStore(), share);
}
