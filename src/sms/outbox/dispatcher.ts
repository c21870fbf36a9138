import { sql } from 'kysely';
import { queryBudget } from '../../db/query-budget.js';
import { yielder } from '../../lib/yielder.js';
import type { Db, Message } from '../../db/schema.js';
import type { Clock } from '../../lib/time/clock.js';
import { composeAtSend } from './compose.js';
import { applyEarlyStatus } from '../twilio/delivery-status.js';
import { markNumber, numberStateOf } from '../twilio/number-state.js';
import { countSegments } from '../wording/gsm.js';
import { templateSource, type PracticeTemplates } from '../wording/practice-templates.js';
import type { TemplateLibrary } from '../wording/templates.js';
import { SmsSendError, type SmsTransport } from '../twilio/transport.js';
import { awaitsCheck, checkAgainstLog, countChecked, lookupAnswered, lookupFailed, type OpenRestore } from '../../backups/restore-settlement.js';
import { LEASE_MS } from './lease.js';

export const MAX_ATTEMPTS = 6;
/**
 * The most queries one send can make: composing it from the truth (at most 10), recording that it
 * started, its outcome, a delivery report that came first (4), a number Twilio refused, and after a
 * restore the check against Twilio's log (2). Under
 * a query budget a send starts only when this much is left, so none is cut off half-way.
 */
export const SEND_QUERIES = 18;
/** What a reminder usually costs: claims under a budget are sized by it, never beyond what is left. */
export const USUAL_SEND_QUERIES = 9;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 30 * 60_000;
export interface DispatchOptions {
  db: Db;
  sms: SmsTransport;
  clock: Clock;
  templates: TemplateLibrary;
  statusCallbackUrl?: string;
  batchSize?: number;
  concurrency?: number;
  /** Stop claiming new rows after this long, so one pass never overlaps the next. */
  budgetMs?: number;
  /** A restore being settled: texts that may have gone before it are looked up in Twilio's log first. */
  restore?: OpenRestore;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  unknown: number;
}

/** Claims due rows in one statement (atomic on SQLite and D1): two runners never get the same row. */
export async function claimDue(db: Db, now: number, limit: number): Promise<Message[]> {
  const res = await sql<Message>`
    UPDATE messages SET status = 'sending', lease_until = ${now + LEASE_MS}, attempts = attempts + 1, send_started_at = NULL, updated_at = ${now}
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

type PassOptions = DispatchOptions & { wordingOf: (practiceId: number) => Promise<PracticeTemplates> };

async function sendOne(o: PassOptions, m: Message): Promise<Outcome> {
  const { db, sms, clock } = o;
  const now = clock.now().getTime();
  const c = await composeAtSend(db, o.wordingOf, m, now);
  if ('skip' in c) {
    await settle(db, m.id, now, { status: 'skipped', status_reason: c.skip });
    return 'skipped';
  }
  if ('deferTo' in c) {
    // Not an attempt: give it back.
    await settle(db, m.id, now, { status: 'pending', due_at: c.deferTo, attempts: m.attempts - 1 });
    return 'retried';
  }
  if (awaitsCheck(o.restore, m)) {
    const checked = await checkBeforeSending(o, o.restore, m, c, now);
    if (checked) return checked;
  }
  // From here the request may reach Twilio: record what goes, and that it started.
  await db
    .updateTable('messages')
    .set({
      send_started_at: now,
      to_number: c.to,
      body: c.body,
      language: c.language,
      fell_back_to_english: c.fell_back_to_english,
      segments: countSegments(c.body).segments,
      updated_at: now,
    })
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .execute();
  try {
    const res = await sms.send({ to: c.to, body: c.body, statusCallback: o.statusCallbackUrl, sender: c.sender });
    const at = clock.now().getTime();
    await settle(db, m.id, at, {
      status: 'sent',
      provider_sid: res.sid,
      transport: sms.name,
      sent_at: at,
      status_reason: sms.name === 'local' ? 'recorded locally: not sent (no Twilio credentials)' : null,
      error_code: null,
    });
    await applyEarlyStatus(db, res.sid, at);
    return 'sent';
  } catch (err) {
    return settleRefusal(o, m, c.to, err);
  }
}

/**
 * Restored from a backup: this text may have gone before, from the server that was replaced. Asks
 * Twilio's log first; an answer other than "go on" (null) settles the text here.
 */
async function checkBeforeSending(
  o: PassOptions,
  restore: NonNullable<PassOptions['restore']>,
  m: Message,
  c: { to: string; body: string },
  now: number,
): Promise<Outcome | null> {
  const { db, sms } = o;
  const check = await checkAgainstLog(db, sms, restore, c.to, c.body);
  if ('wait' in check) {
    await lookupFailed(db, restore, m.id, check.wait, now);
    return 'retried';
  }
  await lookupAnswered(db, restore);
  if ('hold' in check) {
    await settle(db, m.id, now, { status: 'skipped', status_reason: 'restored_unverifiable' });
    await countChecked(db, restore.id, 'held');
    return 'skipped';
  }
  if ('alreadySent' in check) {
    await settle(db, m.id, now, {
      status: 'sent',
      provider_sid: check.alreadySent,
      to_number: c.to,
      body: c.body,
      sent_at: now,
      transport: sms.name,
      status_reason: 'already_sent_before_restore',
    });
    await countChecked(db, restore.id, 'found_sent');
    return 'skipped';
  }
  await countChecked(db, restore.id, 'sent_after_check');
  return null;
}

/** Twilio refused or did not answer: unknown if it may have gone, pending again if worth another try, failed otherwise. */
async function settleRefusal(o: PassOptions, m: Message, to: string, err: unknown): Promise<Outcome> {
  const { db, sms, clock } = o;
  const at = clock.now().getTime();
  const e = err instanceof SmsSendError ? err : new SmsSendError(String(err), 'ambiguous');
  if (e.kind === 'ambiguous') {
    await settle(db, m.id, at, { status: 'unknown', status_reason: e.message, error_code: e.code ?? null, transport: sms.name });
    return 'unknown';
  }
  if (e.kind === 'retryable' && m.attempts < MAX_ATTEMPTS) {
    const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (m.attempts - 1));
    const wait = Math.max(backoff, (e.retryAfterSeconds ?? 0) * 1000);
    // Nothing was taken: the next try starts afresh.
    await settle(db, m.id, at, {
      status: 'pending',
      due_at: at + wait,
      send_started_at: null,
      status_reason: `retrying: ${e.message}`,
      error_code: e.code ?? null,
    });
    return 'retried';
  }
  const reason = e.kind === 'retryable' ? `gave up after ${m.attempts} attempts: ${e.message}` : e.message;
  await settle(db, m.id, at, { status: 'failed', status_reason: reason, error_code: e.code ?? null, transport: sms.name });
  const state = numberStateOf(e.code);
  if (state) await markNumber(db, to, state, at);
  return 'failed';
}

/** Claimed rows this pass will not send after all go back to pending, their attempt not counted. */
async function returnClaimed(db: Db, ids: number[], now: number): Promise<void> {
  await db
    .updateTable('messages')
    .set((eb) => ({ status: 'pending', lease_until: null, attempts: sql`max(${eb.ref('attempts')} - 1, 0)`, updated_at: now }))
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .where('send_started_at', 'is', null)
    .execute();
}

/**
 * Claims and sends due texts in batches until none are due or the time budget is spent. Under a
 * query budget (Workers + D1) it claims only what the budget can send, starts a send only when
 * the most it can cost is left, and gives back any claimed row it did not start, in one query.
 */
export async function dispatchDue(options: DispatchOptions): Promise<DispatchResult> {
  // Each practice's wording is read once a pass: an edit takes effect from the next pass.
  const o: PassOptions = { ...options, wordingOf: templateSource(options.db, options.templates) };
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0, skipped: 0, unknown: 0 };
  const started = o.clock.now().getTime();
  const budget = o.budgetMs ?? 45_000;
  const concurrency = o.concurrency ?? 8;
  const queries = queryBudget();
  const breather = yielder();
  for (;;) {
    const now = o.clock.now().getTime();
    if (now - started > budget) break;
    // Claim no more than can be in flight at once: a crash leaves at most this many to settle.
    // A claim, one whole send, and giving back what was claimed but not sent.
    if (queries && !queries.has(SEND_QUERIES + 2)) break;
    const affordable = queries ? Math.max(1, Math.floor((queries.left - 2) / USUAL_SEND_QUERIES)) : Infinity;
    const batch = await claimDue(o.db, now, Math.min(o.batchSize ?? concurrency, affordable));
    if (batch.length === 0) break;
    let next = 0;
    // The worst case of sends under way, so that parallel sends never overdraw the budget together.
    let reserved = 0;
    const canStart = () => !queries || queries.has(reserved + SEND_QUERIES + 1);
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        while (next < batch.length && canStart()) {
          // Sends that never touch the network (skipped, or no Twilio) would otherwise hold the
          // thread for the whole pass: 36 s on the large set after downtime.
          await breather();
          if (next >= batch.length || !canStart()) break;
          const m = batch[next++]!;
          reserved += SEND_QUERIES;
          try {
            result[await sendOne(o, m)]++;
          } finally {
            reserved -= SEND_QUERIES;
          }
        }
      }),
    );
    if (next < batch.length) {
      await returnClaimed(
        o.db,
        batch.slice(next).map((m) => m.id),
        o.clock.now().getTime(),
      );
      break;
    }
  }
  return result;
}
