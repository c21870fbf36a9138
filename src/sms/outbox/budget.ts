import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/schema.js';

/** Past this share of the monthly budget the admin is warned; past all of it reminders pause. */
export const BUDGET_WARNING_SHARE = 0.8;

export type BudgetState = 'none' | 'ok' | 'warning' | 'paused';

export interface BudgetStatus {
  /** Segments a month, or null when the practice set no limit. */
  budget: number | null;
  used: number;
  state: BudgetState;
  /** "2026-11", the calendar month in the practice's zone. */
  month: string;
}

/** The start of the calendar month `now` falls in, in the practice's zone, as a UTC instant. */
export function monthStart(now: number, zone: string): number {
  return DateTime.fromMillis(now, { zone }).startOf('month').toMillis();
}

/**
 * Segments sent since the month began. A text counts once it left for Twilio (sent, delivered,
 * undelivered or unknown: all billed); texts sent before segments were recorded count as one.
 */
export async function segmentsSince(db: DbOrTx, practiceId: number, since: number): Promise<number> {
  const r = await sql<{ used: number | null }>`
    SELECT SUM(COALESCE(segments, 1)) AS used FROM messages
    WHERE practice_id = ${practiceId} AND sent_at >= ${since} AND direction = 'outbound' AND status != 'failed'`.execute(db);
  return Number(r.rows[0]?.used ?? 0);
}

async function statusOf(db: DbOrTx, practiceId: number, p: { timezone: string; sms_monthly_budget: number | null }, now: number): Promise<BudgetStatus> {
  const start = monthStart(now, p.timezone);
  const month = DateTime.fromMillis(start, { zone: p.timezone }).toFormat('yyyy-LL');
  const used = await segmentsSince(db, practiceId, start);
  const budget = p.sms_monthly_budget;
  const state: BudgetState = budget === null ? 'none' : used >= budget ? 'paused' : used >= budget * BUDGET_WARNING_SHARE ? 'warning' : 'ok';
  return { budget, used, state, month };
}

const practiceBudget = (db: DbOrTx, practiceId: number) =>
  db.selectFrom('practices').select(['timezone', 'sms_monthly_budget']).where('id', '=', practiceId).executeTakeFirstOrThrow();

/** The month's use against the budget, counted whether or not the practice set one (the usage report). */
export async function budgetStatus(db: DbOrTx, practiceId: number, now: number): Promise<BudgetStatus> {
  return statusOf(db, practiceId, await practiceBudget(db, practiceId), now);
}

/**
 * The same, only where the practice set a budget: every admin page and every reminder ask it,
 * and most practices set none, so they skip the month's count.
 */
export async function setBudgetStatus(db: DbOrTx, practiceId: number, now: number): Promise<BudgetStatus | null> {
  const p = await practiceBudget(db, practiceId);
  return p.sms_monthly_budget === null ? null : statusOf(db, practiceId, p, now);
}
