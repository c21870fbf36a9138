import type { Db } from '../db/schema.js';
import type { SmsTransport } from '../sms/twilio/transport.js';
import { knownSids } from '../sms/outbox/known-sids.js';

/** Clock skew allowed between our times and Twilio's date_created. */
export const SKEW_MS = 5 * 60_000;

/** A restore still being settled: texts due up to `windowEnd` may have gone before it. */
export interface OpenRestore {
  id: number;
  backupTakenAt: number;
  /** The first reminder pass after the restore: anything due by then may have been sent by the server that was replaced. */
  windowEnd: number;
  /** Passes in a row whose look-up in Twilio's log failed, as the pass began. */
  lookupFailures: number;
}

/** The first wait after a failed look-up; it doubles with each failed pass, up to LOOKUP_BACKOFF_MAX_MS. */
const LOOKUP_BACKOFF_MS = 30_000;
const LOOKUP_BACKOFF_MAX_MS = 15 * 60_000;

/** How long a text waits for Twilio's log after `failures` passes in a row could not read it. */
function lookupBackoff(failures: number): number {
  return Math.min(LOOKUP_BACKOFF_MAX_MS, LOOKUP_BACKOFF_MS * 2 ** Math.min(failures, 10));
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
    .select(['id', 'backup_taken_at', 'first_pass_at', 'lookup_failures'])
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
  return { id: r.id, backupTakenAt: r.backup_taken_at, windowEnd, lookupFailures: r.lookup_failures };
}

/** Whether this text waits on the restore's check: due before its first pass, or already waiting on a failed look-up. */
export function awaitsCheck(restore: OpenRestore | undefined, m: { due_at: number; restore_check: number | null }): restore is OpenRestore {
  return !!restore && (m.due_at <= restore.windowEnd || m.restore_check === restore.id);
}

/**
 * Twilio's log did not answer: the text keeps waiting on the check (never counted as "not sent"),
 * later each pass that fails, and the admins' notice says why. Every text that fails in the same
 * pass records the same count, so one bad pass doubles the wait once.
 */
export async function lookupFailed(db: Db, restore: OpenRestore, messageId: number, error: string, now: number): Promise<void> {
  await db
    .updateTable('messages')
    .set((eb) => ({
      status: 'pending',
      due_at: now + lookupBackoff(restore.lookupFailures),
      restore_check: restore.id,
      attempts: eb(eb.ref('attempts'), '-', 1),
      lease_until: null,
      status_reason: "waiting for Twilio's message log to answer before sending (restored from a backup)",
      updated_at: now,
    }))
    .where('id', '=', messageId)
    .where('status', '=', 'sending')
    .execute();
  await db
    .updateTable('restores')
    .set({ lookup_failures: restore.lookupFailures + 1, lookup_failed_at: now, lookup_error: error.slice(0, 200) })
    .where('id', '=', restore.id)
    .execute();
}

/** Twilio's log answered again: the back-off starts afresh. */
export async function lookupAnswered(db: Db, restore: OpenRestore): Promise<void> {
  if (restore.lookupFailures === 0) return;
  restore.lookupFailures = 0;
  await db.updateTable('restores').set({ lookup_failures: 0, lookup_error: null }).where('id', '=', restore.id).execute();
}

export type LogCheck = { send: true } | { alreadySent: string } | { hold: true } | { wait: string };

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
  } catch (e) {
    return { wait: e instanceof Error ? e.message : String(e) };
  }
  const candidates = log.filter((x) => x.body === body && x.createdAt >= restore.backupTakenAt - SKEW_MS);
  if (candidates.length === 0) return { send: true };
  const taken = await knownSids(
    db,
    candidates.map((c) => c.sid),
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

/**
 * Settled once no text that may have gone before the restore is still waiting or unsettled: those
 * due before its first pass, and those whose look-up failed, however far their wait has moved them.
 */
export async function settleRestore(db: Db, restore: OpenRestore, now: number): Promise<boolean> {
  const waiting = await db
    .selectFrom('messages')
    .select('id')
    .where('direction', '=', 'outbound')
    .where('status', 'in', ['pending', 'sending', 'unknown'])
    .where((eb) => eb.or([eb('due_at', '<=', restore.windowEnd), eb('restore_check', '=', restore.id)]))
    .limit(1)
    .executeTakeFirst();
  if (waiting) return false;
  await db.updateTable('restores').set({ settled_at: now }).where('id', '=', restore.id).execute();
  return true;
}
