import type { DbOrTx } from '../../db/schema.js';
import { markNumber, numberStateOf } from './number-state.js';

const RANK: Record<string, number> = { pending: 0, sending: 1, unknown: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };
const OURS: Record<string, 'sent' | 'delivered' | 'undelivered' | 'failed'> = {
  queued: 'sent',
  accepted: 'sent',
  scheduled: 'sent',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};

/** Moves a message forward only, so repeats and late arrivals change nothing. */
async function applyToMessage(db: DbOrTx, sid: string, next: string, errorCode: string | null, now: number): Promise<'applied' | 'stale' | 'missing'> {
  const m = await db
    .selectFrom('messages')
    .select(['id', 'status', 'to_number'])
    .where('provider_sid', '=', sid)
    .where('direction', '=', 'outbound')
    .executeTakeFirst();
  if (!m) return 'missing';
  if ((RANK[m.status] ?? 0) >= (RANK[next] ?? 0)) return 'stale';
  await db
    .updateTable('messages')
    .set({ status: next as 'sent', ...(next === 'delivered' && { delivered_at: now }), ...(errorCode && { error_code: errorCode }), updated_at: now })
    .where('id', '=', m.id)
    .where('status', '=', m.status)
    .execute();
  // A report that the number itself cannot take texts (30005, 30006) holds for every text queued to it.
  const state = next === 'undelivered' || next === 'failed' ? numberStateOf(errorCode) : undefined;
  if (state && m.to_number) await markNumber(db, m.to_number, state, now);
  return 'applied';
}

/**
 * Twilio's delivery report. One that arrives before our send call has returned the SID is kept
 * and applied when the SID is recorded (applyEarlyStatus), so no report is ever lost.
 */
export async function handleStatusCallback(db: DbOrTx, now: number, sid: string, twilioStatus: string, errorCode: string | undefined): Promise<boolean> {
  const next = OURS[twilioStatus];
  if (!next) return false;
  const first = await applyToMessage(db, sid, next, errorCode ?? null, now);
  if (first !== 'missing') return first === 'applied';
  await db
    .insertInto('early_status_callbacks')
    .values({ provider_sid: sid, status: next, error_code: errorCode ?? null, received_at: now })
    .onConflict((oc) =>
      oc
        .column('provider_sid')
        .doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), error_code: eb.ref('excluded.error_code') }))
        .where((eb) => eb.case().when('early_status_callbacks.status', '=', 'sent').then(2).else(3).end(), '<', RANK[next]!),
    )
    .execute();
  // The SID may have been recorded while we stored the report: apply it now rather than wait.
  await applyEarlyStatus(db, sid, now);
  return true;
}

/** Applies a report kept for a SID that has just been recorded on a message. */
export async function applyEarlyStatus(db: DbOrTx, sid: string, now: number): Promise<void> {
  const early = await db.selectFrom('early_status_callbacks').selectAll().where('provider_sid', '=', sid).executeTakeFirst();
  if (!early) return;
  if ((await applyToMessage(db, sid, early.status, early.error_code, now)) === 'missing') return;
  await db.deleteFrom('early_status_callbacks').where('provider_sid', '=', sid).execute();
}

/** Reports for SIDs we never recorded (texts sent by another system on the account) do not pile up. */
export async function pruneEarlyStatus(db: DbOrTx, now: number): Promise<void> {
  await db
    .deleteFrom('early_status_callbacks')
    .where('received_at', '<', now - 7 * 24 * 3_600_000)
    .execute();
}
