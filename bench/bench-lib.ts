import { mkdtempSync, readFileSync } from 'node:fs';
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

/** The longest the event loop waited while `run` ran: a timer due every millisecond measures each gap. */
export async function longestHold(run: () => Promise<unknown>): Promise<{ took: number; longest: number }> {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    longest = Math.max(longest, t - last);
    last = t;
  }, 1);
  const t0 = performance.now();
  await run();
  const took = performance.now() - t0;
  clearInterval(tick);
  return { took, longest: Math.max(longest, performance.now() - last) };
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

/** A JSON API caller for a bench's server: throws with the answer on any 4xx or 5xx, so a seeding mistake stops the bench. */
export function apiCaller(base: string, fetcher: (url: string, init?: RequestInit) => Promise<Response> = fetch) {
  return async (method: string, path: string, token?: string, body?: unknown): Promise<any> => {
    const res = await fetcher(`${base}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}
