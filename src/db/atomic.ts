import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { DB, Db, DbOrTx } from './schema.js';

/** The D1 binding behind a Kysely handle, for the calls kysely-d1 cannot make (batch). */
interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<unknown[]>;
}

const d1Handles = new WeakMap<Kysely<DB>, D1Like>();

/** Marks a Kysely handle as running on Cloudflare D1 (no interactive transactions). */
export function registerD1(db: Kysely<DB>, d1: D1Like): void {
  d1Handles.set(db, d1);
}

export function isD1(db: DbOrTx): boolean {
  return d1Handles.has(db as Kysely<DB>);
}

/**
 * Writes that must land together or not at all: one transaction on SQLite, one `batch` on D1
 * (which D1 runs as a single transaction). Reads and checks happen before, outside.
 */
export async function atomicWrites(db: Db, queries: CompiledQuery[]): Promise<void> {
  const d1 = d1Handles.get(db);
  if (d1) {
    await d1.batch(queries.map((q) => d1.prepare(q.sql).bind(...q.parameters)));
    return;
  }
  await db.transaction().execute(async (tx) => {
    for (const q of queries) await tx.executeQuery(q);
  });
}

/**
 * Multi-step work that should be all-or-nothing. A transaction on SQLite; on D1, which has no
 * interactive transactions, the steps run in order. Only work whose partial result is safe and
 * self-healing goes through here (a later pass completes it); the writes that must be atomic
 * everywhere use atomicWrites or a single conditional statement.
 */
export function atomic<T>(db: DbOrTx, work: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction || isD1(db)) return work(db as Transaction<DB>);
  return (db as Db).transaction().execute(work);
}
