import { sql } from 'kysely';
import type { Db, Message } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { whyNotSendable } from './message-context.js';
import { nextSendableTime } from './quiet-hours.js';
import { SmsSendError, TWILIO_OPTED_OUT, type SmsTransport } from './transport.js';

export const MAX_ATTEMPTS = 6;
/** Longer than any send can take, so a live runner never loses its claim. */
export const LEASE_MS = 2 * 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 30 * 60_000;

export interface DispatchOptions {
  db: Db;
  sms: SmsTransport;
  clock: Clock;
  statusCallbackUrl?: string;
  batchSize?: number;
  concurrency?: number;
  /** Stop claiming new rows after this long, so one pass never overlaps the next. */
  budgetMs?: number;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  unknown: number;
}

/** Rows left in `sending` past their lease belong to a runner that died mid-send: never resend them blindly. */
export async function markAbandonedUnknown(db: Db, now: number): Promise<number> {
  const res = await db
    .updateTable('messages')
    .set({ status: 'unknown', status_reason: 'the sender stopped during the send; check before resending', lease_until: null, updated_at: now })
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Claims due rows in one statement (atomic on SQLite and D1): two runners never get the same row. */
export async function claimDue(db: Db, now: number, limit: number): Promise<Message[]> {
  const res = await sql<Message>`
    UPDATE messages SET status = 'sending', lease_until = ${now + LEASE_MS}, attempts = attempts + 1, updated_at = ${now}
    WHERE id IN (SELECT id FROM messages WHERE status = 'pending' AND due_at <= ${now} ORDER BY due_at LIMIT ${limit})
    RETURNING *`.execute(db);
  return res.rows;
}

type Outcome = keyof DispatchResult;

async function settle(db: Db, id: number, now: number, set: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('messages')
    .set({ ...set, lease_until: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Why a claimed row should not go out now, checked at the last moment. */
async function blocker(db: Db, m: Message, now: number): Promise<{ skip?: string; deferTo?: number }> {
  if (m.participant_id !== null) {
    const p = await db.selectFrom('participants').selectAll().where('id', '=', m.participant_id).executeTakeFirst();
    const why = p ? whyNotSendable(p) : 'erased';
    if (why) return { skip: why };
  }
  if (m.kind === 'reminder') {
    if (m.session_id === null) return { skip: 'session_removed' };
    const s = await db.selectFrom('sessions').select(['status']).where('id', '=', m.session_id).executeTakeFirst();
    if (!s || s.status === 'cancelled') return { skip: 'session_cancelled' };
    const apologies = await db
      .selectFrom('attendance')
      .select('status')
      .where('session_id', '=', m.session_id)
      .where('participant_id', '=', m.participant_id!)
      .where('status', '=', 'apologies')
      .executeTakeFirst();
    if (apologies) return { skip: 'apologies_given' };
  }
  if (m.expires_at !== null && m.expires_at <= now) return { skip: 'too_late' };
  const zone =
    m.practice_id === null
      ? 'Europe/London'
      : ((await db.selectFrom('practices').select('timezone').where('id', '=', m.practice_id).executeTakeFirst())?.timezone ?? 'Europe/London');
  const sendable = nextSendableTime(now, zone);
  if (sendable > now) {
    if (m.expires_at !== null && sendable >= m.expires_at) return { skip: 'quiet_hours' };
    return { deferTo: sendable };
  }
  return {};
}

async function sendOne(o: DispatchOptions, m: Message): Promise<Outcome> {
  const { db, sms, clock } = o;
  const now = clock.now().getTime();
  const b = await blocker(db, m, now);
  if (b.skip) {
    await settle(db, m.id, now, { status: 'skipped', status_reason: b.skip });
    return 'skipped';
  }
  if (b.deferTo) {
    // Not an attempt: give it back.
    await settle(db, m.id, now, { status: 'pending', due_at: b.deferTo, attempts: m.attempts - 1 });
    return 'retried';
  }
  try {
    const res = await sms.send({ to: m.to_number!, body: m.body, statusCallback: o.statusCallbackUrl });
    const at = clock.now().getTime();
    await settle(db, m.id, at, {
      status: 'sent',
      provider_sid: res.sid,
      transport: sms.name,
      sent_at: at,
      status_reason: sms.name === 'local' ? 'recorded locally: not sent (no Twilio credentials)' : null,
      error_code: null,
    });
    return 'sent';
  } catch (err) {
    const at = clock.now().getTime();
    const e = err instanceof SmsSendError ? err : new SmsSendError(String(err), 'ambiguous');
    if (e.kind === 'ambiguous') {
      await settle(db, m.id, at, { status: 'unknown', status_reason: e.message, error_code: e.code ?? null, transport: sms.name });
      return 'unknown';
    }
    if (e.kind === 'retryable' && m.attempts < MAX_ATTEMPTS) {
      const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (m.attempts - 1));
      const wait = Math.max(backoff, (e.retryAfterSeconds ?? 0) * 1000);
      await settle(db, m.id, at, { status: 'pending', due_at: at + wait, status_reason: `retrying: ${e.message}`, error_code: e.code ?? null });
      return 'retried';
    }
    if (e.code === TWILIO_OPTED_OUT && m.to_number) {
      // Twilio has seen STOP from this number: respect it everywhere.
      await db
        .updateTable('participants')
        .set({ opted_out_at: at, updated_at: at })
        .where('phone', '=', m.to_number)
        .where('opted_out_at', 'is', null)
        .execute();
    }
    const reason = e.kind === 'retryable' ? `gave up after ${m.attempts} attempts: ${e.message}` : e.message;
    await settle(db, m.id, at, { status: 'failed', status_reason: reason, error_code: e.code ?? null, transport: sms.name });
    return 'failed';
  }
}

/** Claims and sends due texts in batches until none are due or the time budget is spent. */
export async function dispatchDue(o: DispatchOptions): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0, skipped: 0, unknown: 0 };
  const started = o.clock.now().getTime();
  const budget = o.budgetMs ?? 45_000;
  const concurrency = o.concurrency ?? 8;
  for (;;) {
    const now = o.clock.now().getTime();
    if (now - started > budget) break;
    // Claim no more than can be in flight at once: a crash strands at most this many as 'unknown'.
    const batch = await claimDue(o.db, now, o.batchSize ?? concurrency);
    if (batch.length === 0) break;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        while (next < batch.length) {
          const m = batch[next++]!;
          result[await sendOne(o, m)]++;
        }
      }),
    );
  }
  return result;
}
