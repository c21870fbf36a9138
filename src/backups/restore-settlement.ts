import type { Db } from '../db/schema.js';
import type { SmsTransport } from '../sms/transport.js';

/** Clock skew allowed between our times and Twilio's date_created. */
const SKEW_MS = 5 * 60_000;

/** A restore still being settled: texts due up to `windowEnd` may have gone before it. */
export interface OpenRestore {
  id: number;
  backupTakenAt: number;
  /** The first reminder pass after the restore: anything due by then may have been sent by the server that was replaced. */
  windowEnd: number;
}

/**
 * Records that the database now holds a backup taken at `backupTakenAt` (Node's `npm run restore`,
 * or an admin after a D1 Time Travel restore). Everything done since that moment is gone from it,
 * but not from the world: every sign-in ends (tokens made since would otherwise be unknown and
 * those revoked since would work again), a send that was under way is settled against Twilio's
 * log, and until the restore is settled each text that may already have gone is looked up there
 * before it is sent.
 */
export async function recordRestore(db: Db, restoredAt: number, backupTakenAt: number, source: string): Promise<number> {
  await db.deleteFrom('auth_tokens').execute();
  await db.deleteFrom('backup_taken').execute();
  // Claimed but not started: nothing left; started: perhaps it did, so Twilio's log decides.
  await db
    .updateTable('messages')
    .set({ status: 'pending', lease_until: null, updated_at: restoredAt })
    .where('status', '=', 'sending')
    .where('send_started_at', 'is', null)
    .execute();
  await db
    .updateTable('messages')
    .set({ status: 'unknown', lease_until: null, status_reason: 'restored from a backup during its send; checking with Twilio', updated_at: restoredAt })
    .where('status', '=', 'sending')
    .where('send_started_at', 'is not', null)
    .execute();
  const row = await db
    .insertInto('restores')
    .values({ restored_at: restoredAt, backup_taken_at: backupTakenAt, source, first_pass_at: null, settled_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The restore being settled, if any; its window closes at the first pass after it (set here). */
export async function restoreBeingSettled(db: Db, now: number): Promise<OpenRestore | undefined> {
  const r = await db
    .selectFrom('restores')
    .select(['id', 'backup_taken_at', 'first_pass_at'])
    .where('settled_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!r) return undefined;
  let windowEnd = r.first_pass_at;
  if (windowEnd === null) {
    windowEnd = now;
    await db.updateTable('restores').set({ first_pass_at: now }).where('id', '=', r.id).execute();
  }
  return { id: r.id, backupTakenAt: r.backup_taken_at, windowEnd };
}

export type LogCheck = { send: true } | { alreadySent: string } | { hold: true } | { wait: true };

/**
 * Whether a text that may have gone before the restore is already in Twilio's log (the same words
 * to the same number since the backup was taken, under a SID no other text of ours has). Without
 * Twilio's log (no credentials) nothing can be checked, so it is held rather than sent; when the
 * log cannot be read just now, it waits.
 */
export async function checkAgainstLog(db: Db, sms: SmsTransport, restore: OpenRestore, to: string, body: string): Promise<LogCheck> {
  if (sms.name === 'local' || !sms.findSent) return { hold: true };
  let log;
  try {
    log = await sms.findSent({ to, since: restore.backupTakenAt - SKEW_MS });
  } catch {
    return { wait: true };
  }
  const candidates = log.filter((x) => x.body === body && x.createdAt >= restore.backupTakenAt - SKEW_MS);
  if (candidates.length === 0) return { send: true };
  const taken = new Set(
    (
      await db
        .selectFrom('messages')
        .select('provider_sid')
        .where(
          'provider_sid',
          'in',
          candidates.map((c) => c.sid),
        )
        .execute()
    ).map((r) => r.provider_sid),
  );
  const match = candidates.find((c) => !taken.has(c.sid));
  return match ? { alreadySent: match.sid } : { send: true };
}

/** Counts what the check found, for the admins' notice. */
export async function countChecked(db: Db, restoreId: number, outcome: 'found_sent' | 'sent_after_check' | 'held'): Promise<void> {
  await db
    .updateTable('restores')
    .set((eb) => ({ [outcome]: eb(eb.ref(outcome), '+', 1) }))
    .where('id', '=', restoreId)
    .execute();
}

/** Settled once no text that may have gone before the restore is still waiting or unsettled. */
export async function settleRestore(db: Db, restore: OpenRestore, now: number): Promise<boolean> {
  const waiting = await db
    .selectFrom('messages')
    .select('id')
    .where('direction', '=', 'outbound')
    .where('status', 'in', ['pending', 'sending', 'unknown'])
    .where('due_at', '<=', restore.windowEnd)
    .limit(1)
    .executeTakeFirst();
  if (waiting) return false;
  await db.updateTable('restores').set({ settled_at: now }).where('id', '=', restore.id).execute();
  return true;
}
