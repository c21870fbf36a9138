import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { kyselyFor, migrate, openSqlite } from '../src/db/sqlite.js';
import type { Db } from '../src/db/schema.js';

/** Median wall time of `runs` calls, in milliseconds, after `warmup` calls. */
export async function medianMs(fn: () => unknown, runs = 15, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A migrated SQLite file in a temp folder, as the Node server runs it (WAL, synchronous=NORMAL). */
export async function benchDb(): Promise<{ db: Db; sqlite: Database.Database; path: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'clg-bench-')), 'bench.db');
  const sqlite = openSqlite(path);
  const db = kyselyFor(sqlite);
  await migrate(db);
  return { db, sqlite, path };
}

/** A benchmark database seeded earlier, brought to today's schema. */
export async function existingBenchDb(path: string): Promise<{ db: Db; sqlite: Database.Database; path: string }> {
  const sqlite = openSqlite(path);
  const db = kyselyFor(sqlite);
  await migrate(db);
  sqlite.exec('ANALYZE');
  return { db, sqlite, path };
}

export function line(name: string, value: string, floorName: string, ratio: number, note = ''): void {
  console.log(`${name.padEnd(44)} ${value.padStart(14)}   ${ratio.toFixed(2).padStart(7)}× ${floorName}${note ? `   ${note}` : ''}`);
}

/** The V8 flags `npm start` runs the server with (package.json's start script). */
export const NPM_START_FLAGS = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(/\s+/)
  .filter((arg) => /^--max-semi-space-size=/.test(arg));
