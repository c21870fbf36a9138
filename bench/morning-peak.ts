import type Database from 'better-sqlite3';
import type { Db } from '../src/db/schema.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { runReminders } from '../src/sms/outbox/run-reminders.js';
import { TwilioTransport } from '../src/sms/twilio/twilio-transport.js';
import type { TemplateLibrary } from '../src/sms/wording/templates.js';
import { TwilioDouble } from '../test/helpers/twilio-double.js';
import { line, longestHold } from './bench-lib.js';
import { childServer } from './child-server.js';
import { goal } from './goals.js';

/** The Node server's pass budget at its default interval (REMINDER_INTERVAL_SECONDS=60 × 800 ms). */
const PASS_BUDGET_MS = 48_000;

/**
 * Issue 38, item 3: the morning peak on Node. After the first pass has planned a fortnight of
 * reminders, the minute with the most texts due is found; at that minute (the clock held there)
 * reminder passes run one after another, as the server's loop would run them, sending through
 * Twilio's REST API to the double in a process of its own, until nothing due by then is left.
 * The goal: every text due at 08:00 gone by 08:10.
 */
export async function morningPeak(db: Db, sqlite: Database.Database, templates: TemplateLibrary, practices: number): Promise<void> {
  const peak = busiestMinute(sqlite);
  if (!peak) return console.log('morning peak: nothing planned to send');
  const dueBy = sqlite.prepare(`SELECT count(*) AS n FROM messages WHERE status = 'pending' AND due_at <= ?`);
  const left = () => (dueBy.get(peak.at) as { n: number }).n;
  const due = left();
  const double = new TwilioDouble();
  const twilio = await childServer('bench/twilio-double-server.ts', [], { core: 1 });
  let passes = 0;
  let sent = 0;
  try {
    const sms = new TwilioTransport({
      accountSid: double.accountSid,
      authToken: double.authToken,
      from: '+447700900999',
      apiBaseUrl: `http://127.0.0.1:${twilio.port}`,
    });
    const clock = new ManualClock(new Date(peak.at));
    // A server sends all day: its first text's one-off costs (the SDK's HTTP client, the double's own start) are not the peak's.
    await sms.send({ to: '+447700900000', body: 'warm-up' });
    await new Promise((r) => setTimeout(r, 1000));
    const run = await longestHold(async () => {
      while (left() > 0 && passes < 100) {
        sent += (await runReminders({ db, sms, clock, templates, budgetMs: PASS_BUDGET_MS })).sent;
        passes++;
      }
    });
    const at = new Date(peak.at).toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
    const stillDue = left();
    line(
      `morning peak, ${practices.toLocaleString('en-GB')} practices`,
      `${(run.took / 1000).toFixed(0)} s`,
      'of the 10 minutes allowed',
      run.took / 600_000,
      `${due.toLocaleString('en-GB')} texts due at ${at} (${peak.n.toLocaleString('en-GB')} of them in that minute), ${sent.toLocaleString('en-GB')} sent in ${passes} passes, ${stillDue} left; ${((sent / run.took) * 1000).toFixed(0)} a second; holds the thread ${run.longest.toFixed(0)} ms at most`,
    );
    goal({
      measure: `morning peak at ${practices.toLocaleString('en-GB')} practices (Node, Twilio's API on 127.0.0.1)`,
      filed: 'not measured',
      now: `${due.toLocaleString('en-GB')} texts due at ${at} gone in ${(run.took / 1000).toFixed(0)} s; longest hold ${run.longest.toFixed(0)} ms`,
      goal: 'all gone by 10 minutes past, hold ≤ 30 ms',
      met: stillDue === 0 && run.took <= 600_000 && run.longest <= 30,
    });
  } finally {
    console.log(`(the double accepted ${acceptedBy(await twilio.stop())} texts)`);
  }
}

/** The last count of texts the double in its own process printed (bench/twilio-double-server.ts). */
export function acceptedBy(output: string): number {
  const counts = [...output.matchAll(/\{"accepted":(\d+)\}/g)];
  return counts.length ? Number(counts[counts.length - 1]![1]) : 0;
}

/** The due time with the most texts waiting for it (the earliest of equals), and how many. */
export function busiestMinute(sqlite: Database.Database): { at: number; n: number } | undefined {
  return sqlite.prepare(`SELECT due_at AS at, count(*) AS n FROM messages WHERE status = 'pending' GROUP BY due_at ORDER BY n DESC, due_at LIMIT 1`).get() as
    { at: number; n: number } | undefined;
}
