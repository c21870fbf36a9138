import { allowance, canQuery } from '../../db/query-budget.js';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/time/clock.js';
import { topUpSessions } from '../../sessions/session-sync.js';
import { pruneEarlyStatus } from '../twilio/delivery-status.js';
import { blankOldTexts } from '../../retention/retention-service.js';
import { dispatchDue, type DispatchResult } from './dispatcher.js';
import { reconcileUnknown, releaseAbandoned } from './reconcile.js';
import { planEnrolmentTexts, planReminders } from './planner.js';
import type { TemplateLibrary } from '../wording/templates.js';
import type { SmsTransport } from '../twilio/transport.js';
import { restoreBeingSettled, settleRestore } from '../../backups/restore-settlement.js';
import { planOutcomeQuestions } from '../../outcomes/outcome-questions.js';
import { fanOutDue, sendingNow, type SendQueue } from './send-queue.js';
import { archiveAuditEvents } from '../../audit/audit-archiving.js';
import type { ArchiveStore } from '../../audit/archive-store.js';
import { refreshKeptFigures } from '../../reports/programme/kept-figures.js';

export interface ReminderPassDeps {
  db: Db;
  sms: SmsTransport;
  clock: Clock;
  templates: TemplateLibrary;
  horizonDays?: number;
  statusCallbackUrl?: string;
  budgetMs?: number;
  /** Aborted when the server stops: the pass ends at its next safe point instead of finishing. */
  signal?: AbortSignal;
  /** On Workers with a queue bound: what is due beyond this pass's own share is sent by queue invocations side by side. */
  sendQueue?: { queue: SendQueue; budget: number };
  /** Where audit events older than each practice's audit retention go; without it they stay. */
  auditArchive?: ArchiveStore;
}

export interface PassResult extends DispatchResult {
  /** Claimed by a runner that died before sending: back to pending. */
  released: number;
  /** Settled by Twilio's log: confirmed sent, or sent again because Twilio never had them. */
  reconciled: number;
  planned: number;
  /** Queue invocations asked to send what is due alongside this pass. */
  drains: number;
}

/**
 * One reminder pass, the same everywhere (Node interval, `npm run reminders -- --once`,
 * the Workers cron): settle abandoned sends against Twilio's log, top up sessions, plan texts,
 * send what is due. Under a query budget (D1) housekeeping may use a fifth of it and planning half
 * of what is then left, so that sending always keeps a share; what a pass cannot reach waits for the next.
 */
export async function runReminders(d: ReminderPassDeps): Promise<PassResult> {
  const now = d.clock.now().getTime();
  // After a restore, nothing is sent until each text that may have gone already is checked with Twilio.
  const restore = canQuery(2) ? await restoreBeingSettled(d.db, now) : undefined;
  const abandoned = canQuery(2) ? await releaseAbandoned(d.db, now) : { released: 0, unknown: 0 };
  const upkeep = allowance(0.2);
  const settled = await reconcileUnknown(d.db, d.sms, now, upkeep);
  if (upkeep.has(1)) await pruneEarlyStatus(d.db, now);
  await blankOldTexts(d.db, now, upkeep);
  const planning = allowance(0.5);
  if (d.horizonDays) await topUpSessions(d.db, now, d.horizonDays, planning);
  const planned =
    (await planReminders(d.db, d.templates, now, d.signal, planning)) +
    (await planEnrolmentTexts(d.db, d.templates, now, planning)) +
    (await planOutcomeQuestions(d.db, d.templates, now, planning));
  // Asked before this pass sends its own share, so the queue's invocations start at once.
  const drains = d.sendQueue && !d.signal?.aborted ? await fanOutDue(d.db, d.sendQueue.queue, now, d.sendQueue.budget) : 0;
  // Stopping: nothing more is claimed for sending; what is due goes at the next start.
  const sent: DispatchResult = d.signal?.aborted
    ? { sent: 0, retried: 0, failed: 0, skipped: 0, unknown: 0 }
    : await dispatchDue({
        db: d.db,
        sms: d.sms,
        clock: d.clock,
        templates: d.templates,
        statusCallbackUrl: d.statusCallbackUrl,
        budgetMs: d.budgetMs,
        restore,
      });
  if (restore && canQuery(2)) await settleRestore(d.db, restore, d.clock.now().getTime());
  // Last, with whatever the pass left: never urgent. One that cannot be written (a bucket or disk
  // down) leaves the events where they are.
  if (d.auditArchive && !d.signal?.aborted) {
    await archiveAuditEvents(d.db, d.auditArchive, now, allowance()).catch((err) =>
      console.error('audit archiving failed; the events stay in the database:', err),
    );
  }
  // The programme's kept figures something changed since, worked out again before anyone asks, once no text waits.
  if (!d.signal?.aborted && drains === 0 && canQuery(4) && !(await sendingNow(d.db, d.clock.now().getTime()))) await refreshKeptFigures(d.db, now, allowance());
  return {
    released: abandoned.released,
    reconciled: settled.confirmed + settled.requeued,
    planned,
    drains,
    ...sent,
    unknown: sent.unknown + abandoned.unknown,
  };
}
