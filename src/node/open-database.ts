import { ConfigError } from '../config.js';
import type { Db } from '../db/schema.js';
import { kyselyFor, migrate, openSqlite, pendingMigrations } from '../db/sqlite.js';

/**
 * The Node database: a SQLite file in WAL mode, migrated to the latest schema. A path that cannot
 * be created, opened or written stops start-up with one line naming it, like a bad variable.
 */
export async function openDatabase(path: string, opts: { beforeUpgrade?: (pending: string[]) => Promise<void> } = {}): Promise<Db> {
  let db: Db;
  try {
    db = kyselyFor(openSqlite(path));
  } catch (err) {
    throw new ConfigError(`Cannot open the database at DATABASE_PATH=${path}: ${(err as Error).message}`);
  }
  try {
    if (opts.beforeUpgrade) {
      const pending = await pendingMigrations(db);
      if (pending.length > 0) await opts.beforeUpgrade(pending);
    }
    await migrate(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    const why = (err as Error).message;
    if (/readonly|read-only|unable to open|disk|permission|EACCES|EROFS/i.test(why))
      throw new ConfigError(`Cannot write the database at DATABASE_PATH=${path}: ${why}`);
    throw err;
  }
  return db;
}
