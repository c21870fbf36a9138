import type { Db } from '../db/schema.js';
import { kyselyFor, migrate, openSqlite } from '../db/sqlite.js';

/** The Node database: a SQLite file in WAL mode, migrated to the latest schema. */
export async function openDatabase(path: string): Promise<Db> {
  const db = kyselyFor(openSqlite(path));
  await migrate(db);
  return db;
}
