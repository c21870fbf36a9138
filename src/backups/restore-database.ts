import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openDatabase } from '../node/open-database.js';
import { runningServer } from '../node/server-lock.js';
import { recordRestore } from './restore-settlement.js';
import { takenAtOf } from './take-backup.js';

export class RestoreError extends Error {}

/** When a backup was taken: recorded inside it, else in its name, else as given (`--taken-at`). */
function backupTakenAt(file: string, given: number | undefined): number {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new RestoreError(`${file} failed its integrity check: ${String(check)}`);
    const hasTable = copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backup_taken'").get();
    const inside = hasTable ? (copy.prepare('SELECT max(taken_at) AS t FROM backup_taken').get() as { t: number | null }).t : null;
    const taken = given ?? inside ?? takenAtOf(file);
    if (taken === null) throw new RestoreError(`${file} does not say when it was taken: give it with --taken-at 2027-03-01T09:00:00Z`);
    return taken;
  } finally {
    copy.close();
  }
}

/**
 * Puts a backup in place of the database (the server must be stopped). The database it replaces
 * is kept beside it, never deleted. The restored copy is migrated to this version and records the
 * restore, so the next start settles every text that may have gone since the backup against
 * Twilio's log before sending anything, and every sign-in session has ended.
 */
export async function restoreDatabase(opts: { from: string; databasePath: string; now: number; takenAt?: number }) {
  const { from, databasePath, now } = opts;
  const pid = runningServer(databasePath);
  if (pid !== null) throw new RestoreError(`A server (process ${pid}) is using ${databasePath}: stop it first, then restore`);
  if (!existsSync(from)) throw new RestoreError(`No backup at ${from}`);
  let takenAt: number;
  try {
    takenAt = backupTakenAt(from, opts.takenAt);
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    throw new RestoreError(`${from} is not a database this server can read: ${(err as Error).message}`);
  }
  const keptAt = `${databasePath}.before-restore-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(databasePath + suffix)) renameSync(databasePath + suffix, keptAt + suffix);
  try {
    copyFileSync(from, databasePath);
    const db = await openDatabase(databasePath);
    try {
      await recordRestore(db, now, takenAt, from);
    } finally {
      await db.destroy();
    }
  } catch (err) {
    // Put the database that was there back, as it was.
    for (const suffix of ['', '-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(keptAt + suffix)) renameSync(keptAt + suffix, databasePath + suffix);
    throw err;
  }
  return { takenAt, keptAt: existsSync(keptAt) ? keptAt : null };
}
