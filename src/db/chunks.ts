import { type Kysely, sql, type Expression } from 'kysely';
import type { DB } from './schema.js';
import { queryBudget } from './query-budget.js';

/** D1 binds at most 100 parameters per statement (SQLite far more): size multi-row inserts to fit both. */
export const MAX_BOUND_PARAMETERS = 100;

export function* paramChunks<T extends object>(rows: T[], maxParams = MAX_BOUND_PARAMETERS): Generator<T[]> {
  if (rows.length === 0) return;
  const perRow = Math.max(1, Object.keys(rows[0]!).length);
  const size = Math.max(1, Math.floor(maxParams / perRow));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Rows per statement: one JSON parameter stays far below D1's 2 MB value limit at this size. */
export const JSON_ROWS_PER_STATEMENT = 1_000;

/**
 * On D1 a statement runs in the database, off the Worker's thread, and each one counts against the
 * request's limit: the more rows a statement the better. On Node (better-sqlite3) a statement holds
 * the one thread until it is done: a reminder pass's 250 messages a statement (each row writes ten
 * indexes) held it 32-68 ms. A handle made for SQLite says its own size here.
 */
const rowsPerStatement = new WeakMap<object, number>();

/** Kept by the adapter, which a transaction shares with the handle it was opened from. */
const keyOf = (db: Kysely<DB>) => db.getExecutor().adapter;

export function statementRowsFor(db: Kysely<DB>, rows: number): void {
  rowsPerStatement.set(keyOf(db), rows);
}

/** How many rows a multi-row write of this handle puts in one statement; counted as D1 counts (a query budget), as many as D1 takes. */
export function statementRows(db: Kysely<DB>): number {
  return (!queryBudget() && rowsPerStatement.get(keyOf(db))) || JSON_ROWS_PER_STATEMENT;
}

export interface JsonRows<T> {
  columns: (keyof T & string)[];
  /** `SELECT <each column> FROM json_each(?)`, for `insertInto(..).columns(columns).expression(select)`. */
  select: Expression<unknown>;
}

/**
 * Many rows as one bound JSON parameter, so a year of sessions or a pass's reminders is one
 * statement instead of one per 7 rows: D1 binds at most 100 parameters and counts every statement
 * against its per-invocation limit. Rows with different keys go in separate statements, so a key
 * left out still takes the column's default rather than NULL.
 */
export function* jsonRowChunks<T extends object>(rows: T[], perStatement = JSON_ROWS_PER_STATEMENT): Generator<JsonRows<T>> {
  const bySignature = new Map<string, T[]>();
  for (const r of rows) {
    // As Kysely does, a key whose value is undefined is left out.
    const signature = definedKeys(r).join(',');
    const same = bySignature.get(signature);
    if (same) same.push(r);
    else bySignature.set(signature, [r]);
  }
  for (const same of bySignature.values()) {
    const columns = definedKeys(same[0]!);
    const pick = sql.join(columns.map((_, i) => sql`json_extract(value, ${sql.lit(`$[${i}]`)})`));
    for (let i = 0; i < same.length; i += perStatement) {
      const values = same.slice(i, i + perStatement).map((r) => columns.map((c) => r[c]));
      // WHERE true: SQLite needs it to tell an upsert's ON CONFLICT from a join's ON.
      yield { columns, select: sql`SELECT ${pick} FROM json_each(${JSON.stringify(values)}) WHERE true` };
    }
  }
}

function definedKeys<T extends object>(r: T): (keyof T & string)[] {
  return (Object.keys(r) as (keyof T & string)[]).filter((k) => r[k] !== undefined);
}
