import { sql } from 'kysely';
import { canQuery, queryBudget } from '../../db/query-budget.js';
import type { Db } from '../../db/schema.js';
import { restoreBeingSettled } from '../../backups/restore-settlement.js';
import { dispatchDue, type DispatchOptions, type DispatchResult, USUAL_SEND_QUERIES } from './dispatcher.js';

/**
 * What the reminder pass needs of a queue: Cloudflare Queues' producer binding has this shape. A
 * message is only a wake-up ("send what is due"): which texts go is decided by the atomic claim in
 * the outbox, so a message delivered twice, or late, or one too many, sends nothing twice.
 */
export interface SendQueue {
  sendBatch(messages: { body: DrainMessage }[]): Promise<unknown>;
}

export interface DrainMessage {
  drain: true;
}

/** A queue takes at most 100 messages a call, so one call asks for them all; more at once would outrun Twilio's account concurrency anyway. */
const MAX_DRAINS = 100;

/**
 * One cron pass a minute sends what one invocation's D1 queries allow (on Workers Free about 5
 * texts, on Paid about 100): too few when every practice's 08:00 reminders fall due together. The
 * pass counts what is due and asks the queue for enough invocations to send the rest now, each
 * with its own query budget, running side by side; how many it asked for.
 */
export async function fanOutDue(db: Db, queue: SendQueue, now: number, budget: number): Promise<number> {
  if (!canQuery(1)) return 0;
  const due = await dueCount(db, now);
  // What the pass sends itself with the queries it has left is not asked of the queue (Workers Free counts queue operations too).
  const own = textsPerInvocation(queryBudget()?.left ?? budget);
  const drains = Math.min(MAX_DRAINS, Math.ceil(Math.max(0, due - own) / textsPerInvocation(budget)));
  if (drains > 0) await queue.sendBatch(Array.from({ length: drains }, () => ({ body: { drain: true as const } })));
  return drains;
}

/** About how many texts one invocation sends within `budget` queries (the claim and giving back aside). */
export function textsPerInvocation(budget: number): number {
  return Math.max(1, Math.floor((budget - 4) / USUAL_SEND_QUERIES));
}

/**
 * One queue invocation: send what is due within its own query budget, exactly as the pass would
 * (a restore being settled still checks Twilio's log before each text that may have gone). The
 * pass's count of invocations is an estimate (a send costs 5 to 18 queries): one that ends with
 * texts still due asks for one more, so the peak is sent by the queue, not a minute at a time.
 */
export async function drainDue(o: Omit<DispatchOptions, 'restore'>, queue?: SendQueue): Promise<DispatchResult> {
  const restore = canQuery(2) ? await restoreBeingSettled(o.db, o.clock.now().getTime()) : undefined;
  const result = await dispatchDue({ ...o, restore });
  if (queue && result.sent + result.failed + result.skipped > 0 && canQuery(2) && (await dueCount(o.db, o.clock.now().getTime())) > 0) {
    await queue.sendBatch([{ body: { drain: true } }]);
  }
  return result;
}

/**
 * Whether any text is due or being sent: work that is never urgent (the programme's kept figures)
 * waits until the sending is done, since on Workers the one database is what bounds it.
 */
export async function sendingNow(db: Db, now: number): Promise<boolean> {
  const row = await sql<{ busy: number }>`
    SELECT EXISTS (SELECT 1 FROM messages WHERE status = 'pending' AND due_at <= ${now})
        OR EXISTS (SELECT 1 FROM messages WHERE status = 'sending') AS busy`.execute(db);
  return Boolean(row.rows[0]?.busy);
}

async function dueCount(db: Db, now: number): Promise<number> {
  const row = await sql<{ due: number }>`SELECT count(*) AS due FROM messages WHERE status = 'pending' AND due_at <= ${now}`.execute(db);
  return Number(row.rows[0]?.due ?? 0);
}
