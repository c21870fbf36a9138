import type { Db, DbOrTx } from './schema.js';
import type { Transaction } from 'kysely';
import type { DB } from './schema.js';

/**
 * Runs work that must happen all-or-nothing. On SQLite this is a transaction; every caller goes
 * through here so the Workers/D1 path (no interactive transactions) has one place to change.
 */
export function atomic<T>(db: DbOrTx, work: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<DB>);
  return (db as Db).transaction().execute(work);
}
