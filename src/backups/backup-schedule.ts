import type { Db } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import { listBackups, pruneBackups, takeBackup, takenAtOf, type Backup } from './take-backup.js';

export interface BackupSettings {
  dir: string;
  intervalHours: number;
  keep: number;
}

/**
 * One backup, recorded in `backup_runs` whatever happens: a failure is logged and shown to admins,
 * and never stops the server. Old backups beyond `keep` are removed after a good one.
 */
export async function backupNow(db: Db, databasePath: string, settings: Pick<BackupSettings, 'dir' | 'keep'>, now: number): Promise<Backup | null> {
  try {
    const backup = await takeBackup(databasePath, settings.dir, now);
    pruneBackups(settings.dir, settings.keep);
    await db.insertInto('backup_runs').values({ started_at: now, file: backup.file, ok: 1, error: null }).execute();
    return backup;
  } catch (err) {
    const why = (err as Error).message;
    console.error(`backup to ${settings.dir} failed: ${why}`);
    await db
      .insertInto('backup_runs')
      .values({ started_at: now, file: null, ok: 0, error: why.slice(0, 500) })
      .execute()
      .catch(() => undefined);
    return null;
  }
}

/**
 * Backups on a schedule inside `npm start`: the first when the newest in the folder is older than
 * the interval (a minute after start, so start-up stays quick), then every interval.
 */
export function scheduleBackups(db: Db, databasePath: string, settings: BackupSettings, clock: Clock): { stop(): Promise<void> } {
  const intervalMs = settings.intervalHours * 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const plan = () => {
    if (stopped) return;
    const newest = listBackups(settings.dir)[0];
    const last = newest ? (takenAtOf(newest) ?? 0) : 0;
    const wait = Math.max(60_000, last + intervalMs - clock.now().getTime());
    timer = setTimeout(run, Math.min(wait, 2 ** 31 - 1));
    timer.unref();
  };
  const run = () => {
    running = backupNow(db, databasePath, settings, clock.now().getTime()).finally(() => {
      running = null;
      plan();
    });
  };
  plan();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
