import type { Db } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { topUpSessions } from '../sessions/session-sync.js';
import { dispatchDue, markAbandonedUnknown, type DispatchResult } from './dispatcher.js';
import { planEnrolmentTexts, planReminders } from './planner.js';
import type { Templates } from './templates.js';
import type { SmsTransport } from './transport.js';

export interface ReminderPassDeps {
  db: Db;
  sms: SmsTransport;
  clock: Clock;
  templates: Templates;
  horizonDays?: number;
  statusCallbackUrl?: string;
  budgetMs?: number;
}

export interface PassResult extends DispatchResult {
  abandoned: number;
  planned: number;
}

/**
 * One reminder pass, the same everywhere (Node interval, `npm run reminders -- --once`,
 * the Workers cron): settle abandoned sends, top up sessions, plan texts, send what is due.
 */
export async function runReminders(d: ReminderPassDeps): Promise<PassResult> {
  const now = d.clock.now().getTime();
  const abandoned = await markAbandonedUnknown(d.db, now);
  if (d.horizonDays) await topUpSessions(d.db, now, d.horizonDays);
  const planned = (await planReminders(d.db, d.templates, now)) + (await planEnrolmentTexts(d.db, d.templates, now));
  const sent = await dispatchDue({ db: d.db, sms: d.sms, clock: d.clock, statusCallbackUrl: d.statusCallbackUrl, budgetMs: d.budgetMs });
  return { abandoned, planned, ...sent };
}
