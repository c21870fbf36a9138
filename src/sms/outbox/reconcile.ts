import { sql } from 'kysely';
import { allowance } from '../../db/query-budget.js';
import type { Db } from '../../db/schema.js';
import { applyEarlyStatus } from '../twilio/delivery-status.js';
import { type SmsTransport } from '../twilio/transport.js';
import { knownSids } from './known-sids.js';
import { LEASE_MS } from './lease.js';

/** An `unknown` row is looked up in Twilio's log once any request it made has surely finished. */
const RECONCILE_AFTER_MS = LEASE_MS;

/** Clock skew allowed between our send time and Twilio's date_created. */
export const SKEW_MS = 5 * 60_000;

/**
 * Rows left in `sending` past their lease belong to a runner that died. Those whose request never
 * started go back to `pending` (nothing left us); only those whose request may have reached Twilio
 * become `unknown`, to be settled against Twilio's log, never resent blindly.
 */
export async function releaseAbandoned(db: Db, now: number): Promise<{ released: number; unknown: number }> {
  const released = await db
    .updateTable('messages')
    .set((eb) => ({ status: 'pending', lease_until: null, attempts: sql`max(${eb.ref('attempts')} - 1, 0)`, updated_at: now }))
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .where('send_started_at', 'is', null)
    .executeTakeFirst();
  const unknown = await db
    .updateTable('messages')
    .set({ status: 'unknown', status_reason: 'the sender stopped during the send; checking with Twilio', lease_until: null, updated_at: now })
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .where('send_started_at', 'is not', null)
    .executeTakeFirst();
  return { released: Number(released.numUpdatedRows), unknown: Number(unknown.numUpdatedRows) };
}

/**
 * Settles `unknown` rows by Twilio's own log: a text Twilio has is `sent` with its SID; one it
 * never took goes back to `pending` and is sent again. Rows stay `unknown` while the log cannot be read.
 */
export async function reconcileUnknown(db: Db, sms: SmsTransport, now: number, share = allowance()): Promise<{ confirmed: number; requeued: number }> {
  const out = { confirmed: 0, requeued: 0 };
  // Per row: whether Twilio's SID is already ours, the update, and a delivery report that came first.
  const limit = Math.min(100, Math.floor((share.left - 1) / 6));
  if (!sms.findSent || limit < 1) return out;
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('status', '=', 'unknown')
    .where('send_started_at', '<=', now - RECONCILE_AFTER_MS)
    .orderBy('send_started_at')
    .limit(limit)
    .execute();
  for (const m of rows) {
    if (!m.to_number || m.send_started_at === null) continue;
    let log;
    try {
      log = await sms.findSent({ to: m.to_number, since: m.send_started_at - SKEW_MS });
    } catch {
      continue;
    }
    const candidates = log.filter((x) => x.body === m.body && x.createdAt >= m.send_started_at! - SKEW_MS);
    const taken = await knownSids(
      db,
      candidates.map((c) => c.sid),
    );
    const match = candidates.find((c) => !taken.has(c.sid));
    if (match) {
      await db
        .updateTable('messages')
        .set({
          status: 'sent',
          provider_sid: match.sid,
          sent_at: m.send_started_at,
          status_reason: "confirmed in Twilio's log after an interrupted send",
          updated_at: now,
        })
        .where('id', '=', m.id)
        .where('status', '=', 'unknown')
        .execute();
      await applyEarlyStatus(db, match.sid, now);
      out.confirmed++;
    } else {
      await db
        .updateTable('messages')
        .set({
          status: 'pending',
          send_started_at: null,
          due_at: now,
          status_reason: "not in Twilio's log after an interrupted send: sending again",
          updated_at: now,
        })
        .where('id', '=', m.id)
        .where('status', '=', 'unknown')
        .execute();
      out.requeued++;
    }
  }
  return out;
}
