import type { Db } from '../db/schema.js';

/** What an admin must know about backups and restores: shown on every page until dealt with. */
export interface OperationsNotice {
  backupFailure: { at: number; error: string } | null;
  restore: {
    id: number;
    restoredAt: number;
    backupTakenAt: number;
    settled: boolean;
    foundSent: number;
    sentAfterCheck: number;
    held: number;
    /** Texts held until Twilio's log answers, and what it last said when it did not. */
    waitingForLog: number;
    lookupFailedAt: number | null;
    lookupError: string | null;
  } | null;
}

/** The latest restore this practice's admins have not yet read, and a failed last backup. */
export async function operationsNotice(db: Db, practiceId: number): Promise<OperationsNotice | undefined> {
  const restore = await db
    .selectFrom('restores as r')
    .leftJoin('restore_acknowledgements as a', (j) => j.onRef('a.restore_id', '=', 'r.id').on('a.practice_id', '=', practiceId))
    .select([
      'r.id',
      'r.restored_at',
      'r.backup_taken_at',
      'r.settled_at',
      'r.found_sent',
      'r.sent_after_check',
      'r.held',
      'r.lookup_failed_at',
      'r.lookup_error',
    ])
    .where('a.restore_id', 'is', null)
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const backupFailure = await lastBackupFailure(db);
  if (!restore && !backupFailure) return undefined;
  const waitingForLog = restore && restore.settled_at === null && restore.lookup_error !== null ? await textsWaitingForLog(db, restore.id) : 0;
  return {
    backupFailure,
    restore: restore
      ? {
          id: restore.id,
          restoredAt: restore.restored_at,
          backupTakenAt: restore.backup_taken_at,
          settled: restore.settled_at !== null,
          foundSent: restore.found_sent,
          sentAfterCheck: restore.sent_after_check,
          held: restore.held,
          waitingForLog,
          lookupFailedAt: restore.settled_at === null ? restore.lookup_failed_at : null,
          lookupError: restore.settled_at === null ? restore.lookup_error : null,
        }
      : null,
  };
}

/** Texts held back until Twilio's log can say whether they went before the restore. */
export async function textsWaitingForLog(db: Db, restoreId: number): Promise<number> {
  const r = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('restore_check', '=', restoreId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** An admin of this practice has read the restore's notice: it is gone for the practice's admins. */
export async function acknowledgeRestore(db: Db, restoreId: number, practiceId: number, userId: number, now: number): Promise<void> {
  await db
    .insertInto('restore_acknowledgements')
    .values({ restore_id: restoreId, practice_id: practiceId, user_id: userId, acknowledged_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The newest backup run, for the admin's banner: a failure is shown until a backup succeeds. */
async function lastBackupFailure(db: Db): Promise<{ at: number; error: string } | null> {
  const last = await db.selectFrom('backup_runs').select(['started_at', 'ok', 'error']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return last && last.ok === 0 ? { at: last.started_at, error: last.error ?? 'unknown error' } : null;
}
