import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Backups this server writes are named for the moment they were taken, so they sort by time. */
const BACKUP_NAME = /^clg-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

export const backupName = (takenAt: number) => `clg-backup-${new Date(takenAt).toISOString().replace(/[:.]/g, '-')}.db`;

export interface Backup {
  file: string;
  takenAt: number;
}

/**
 * A consistent, checked snapshot of a live SQLite database, taken with SQLite's online backup API
 * while the server keeps writing: everything committed, the write-ahead log included (a copied file
 * silently lacks what is still in the WAL). The pages are copied in small steps under one read
 * transaction, so the copy is one moment's snapshot that writes cannot restart, in a worker thread
 * that rests between steps, so the server keeps most of the machine; in WAL mode the reading copy
 * never blocks the server's writes. The copy
 * is checked with integrity_check, records when it was taken (restores name that time), is made a
 * single file (no WAL beside it) and only then gets its name, so a half-written file never looks
 * like a backup.
 */
export async function takeBackup(databasePath: string, dir: string, now: number): Promise<Backup> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, backupName(now));
  const partial = `${file}.partial`;
  try {
    await inWorker({ module: require.resolve('better-sqlite3'), source: databasePath, partial, now, pagesPerStep: PAGES_PER_STEP, restMs: REST_MS });
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { file, takenAt: now };
}

const require = createRequire(import.meta.url);

/** Pages (4 KiB) copied in one step, and the rest after it: about a fifth of a core at most (bench). */
const PAGES_PER_STEP = 64;
const REST_MS = 4;

/** The copy and its checks, in a thread of its own (CommonJS, given better-sqlite3's own path). */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
// The lowest CPU priority for this thread alone (Linux sets a thread's nice with pid 0): the copy and
// its integrity check take only what the server leaves, so the server keeps its rate meanwhile.
try { require('node:os').setPriority(19); } catch {}
(async () => {
  const source = new Database(workerData.source, { fileMustExist: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    // One read transaction held across every step: in WAL mode the copy is of this one moment,
    // and the server's writes (to the WAL) never restart it. Small steps with a rest between
    // keep the copy to a share of a core, so the server keeps most of the machine meanwhile.
    source.exec('BEGIN');
    source.prepare('SELECT count(*) FROM sqlite_master').get();
    await source.backup(workerData.partial, {
      progress: () => {
        Atomics.wait(pause, 0, 0, workerData.restMs);
        return workerData.pagesPerStep;
      },
    });
    source.exec('COMMIT');
  } finally {
    source.close();
  }
  const copy = new Database(workerData.partial);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error('the copy failed its integrity check: ' + String(check));
    // A database from before migration 0016 (a backup before upgrading) has no such table yet.
    copy.exec('CREATE TABLE IF NOT EXISTS backup_taken (taken_at INTEGER NOT NULL)');
    copy.prepare('DELETE FROM backup_taken').run();
    copy.prepare('INSERT INTO backup_taken (taken_at) VALUES (?)').run(workerData.now);
  } finally {
    copy.close();
  }
})().then(() => parentPort.postMessage({ ok: true }), (err) => parentPort.postMessage({ ok: false, error: err && err.message ? err.message : String(err) }));
`;

function inWorker(data: { module: string; source: string; partial: string; now: number; pagesPerStep: number; restMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: data });
    let answered = false;
    worker.once('message', (m: { ok: boolean; error?: string }) => {
      answered = true;
      if (m.ok) resolve();
      else reject(new Error(m.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the backup thread stopped (exit ${code})`));
    });
  });
}

/** The backups in a folder, newest first. */
export function listBackups(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => BACKUP_NAME.test(n))
    .sort()
    .reverse()
    .map((n) => join(dir, n));
}

/** Keeps the newest `keep` backups and removes the rest; only files this server named are touched. */
export function pruneBackups(dir: string, keep: number): string[] {
  const old = listBackups(dir).slice(keep);
  for (const f of old) rmSync(f, { force: true });
  return old;
}

/** When a backup this server named was taken, from its name. */
export function takenAtOf(file: string): number | null {
  const m = file.match(/clg-backup-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.db$/);
  return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : null;
}
