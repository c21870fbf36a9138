import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { boardList, ConfigError, type RawConfig } from '../config.js';
import { kyselyFor, openSqlite, pendingMigrations } from '../db/sqlite.js';
import type { Board } from '../reports/programme/boards.js';

/**
 * The other boards' SQLite files BOARD_DATABASES names, for the programme's reports. Each is
 * its own board server's database: opened as it is, never migrated from here (its server does
 * that when it starts on this release), so one behind this release stops start-up with its name.
 */
export async function openBoardDatabases(raw: Pick<RawConfig, 'BOARD_DATABASES' | 'BOARD_NAME' | 'DATABASE_PATH'>): Promise<Board[]> {
  const boards: Board[] = [];
  try {
    for (const { name, where } of boardList(raw)) {
      if (resolve(where) === resolve(raw.DATABASE_PATH)) throw new ConfigError(`BOARD_DATABASES: ${name} is this server's own database (DATABASE_PATH)`);
      if (!existsSync(where) || statSync(where).size === 0) throw new ConfigError(`BOARD_DATABASES: there is no database for ${name} at ${where}`);
      const db = kyselyFor(openSqlite(where));
      boards.push({ name, db });
      const pending = await pendingMigrations(db);
      if (pending.length)
        throw new ConfigError(
          `BOARD_DATABASES: ${name}'s database at ${where} is behind this release (${pending.join(', ')}): start its own server on this release first`,
        );
    }
  } catch (err) {
    await Promise.all(boards.map((b) => b.db.destroy()));
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`BOARD_DATABASES: cannot read a board's database: ${(err as Error).message}`);
  }
  return boards;
}
