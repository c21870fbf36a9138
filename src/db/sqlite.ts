import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { registerCheckpoint } from './durability.js';
import { allowDirectReads } from './direct-reads.js';
import { statementRowsFor } from './chunks.js';
import { PatientSqliteDialect } from './patient-sqlite.js';
import { CountQueries } from './query-budget.js';
import { SqlTextMigrationProvider } from './migrations.js';
import type { DB } from './schema.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

export function readMigrationFiles(dir = MIGRATIONS_DIR): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()) {
    files[name.replace(/\.sql$/, '')] = readFileSync(join(dir, name), 'utf8');
  }
  return files;
}

/** Opens a SQLite file (or an in-memory image) with the pragmas the app relies on. */
export function openSqlite(pathOrImage: string | Buffer): Database.Database {
  if (typeof pathOrImage === 'string' && pathOrImage !== ':memory:') {
    mkdirSync(dirname(pathOrImage), { recursive: true });
  }
  const sqlite = new Database(pathOrImage);
  if (typeof pathOrImage === 'string' && pathOrImage !== ':memory:') {
    sqlite.pragma('journal_mode = WAL');
    // WAL reads back synchronous=FULL unless it is set explicitly (FACTS.md).
    sqlite.pragma('synchronous = NORMAL');
    // A lock held elsewhere is waited for on timers (PatientSqliteDialect), never by blocking the event loop.
    sqlite.pragma('busy_timeout = 0');
  }
  // Deleted and overwritten content is zeroed, so an erased person leaves no copy in the file.
  sqlite.pragma('secure_delete = ON');
  // A write that fires a trigger (most do: the version counters) journals its statement; in a temp
  // file that cost 43 µs a row, 2.2 s of the 2.6 s it took to insert 52,000 sessions (issue 17).
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/** About 10 ms a statement for the widest rows (a text, with its ten indexes) on a small server. */
const SQLITE_ROWS_PER_STATEMENT = 100;

export function kyselyFor(sqlite: Database.Database, lockWaitMs?: number): Kysely<DB> {
  // Counted only inside a query budget (none on Node outside tests), so Node runs as Workers would.
  const statements = withStatementCache(sqlite);
  const db = new Kysely<DB>({
    dialect: new PatientSqliteDialect({ database: statements }, sqlite, lockWaitMs),
    plugins: [new CountQueries()],
  });
  if (!sqlite.memory) registerCheckpoint(db, () => sqlite.pragma('wal_checkpoint(TRUNCATE)'));
  // A statement holds the thread here: writes of many rows go a hundred at a time (chunks.ts).
  statementRowsFor(db, SQLITE_ROWS_PER_STATEMENT);
  // Not while a transaction is open: another request's uncommitted writes would show. Any failure
  // (a lock held by another process) goes the long way, through Kysely's patient retries.
  allowDirectReads(db, (sql, params) => {
    if (sqlite.inTransaction) return undefined;
    try {
      const stmt = statements.prepare(sql);
      return stmt.reader ? stmt.all(...params) : undefined;
    } catch {
      return undefined;
    }
  });
  return db;
}

/**
 * Kysely prepares every query afresh (FACTS.md: 58k/s point selects against 234k/s with reused
 * statements). The app's queries repeat, so prepared statements are kept by SQL text. Safe because
 * better-sqlite3 runs a statement to completion synchronously and nothing here streams rows.
 */
function withStatementCache(sqlite: Database.Database, max = 500) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): Database.Statement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** Migrations not yet applied to a database that has had some: an upgrade is about to change it. */
export async function pendingMigrations(db: Kysely<DB>, files = readMigrationFiles()): Promise<string[]> {
  const all = await new Migrator({ db, provider: new SqlTextMigrationProvider(files) }).getMigrations();
  if (!all.some((m) => m.executedAt)) return [];
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrate(db: Kysely<DB>, files = readMigrationFiles()): Promise<void> {
  const migrator = new Migrator({ db, provider: new SqlTextMigrationProvider(files) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message}`);
  }
}
