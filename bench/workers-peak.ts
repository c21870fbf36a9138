import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TwilioDouble } from '../test/helpers/twilio-double.js';
import { daytimeZone } from '../test/helpers/schedules.js';
import { stopWranglerDev, wranglerDev } from '../test/helpers/wrangler-dev.js';
import { line } from './bench-lib.js';
import { childServer } from './child-server.js';
import { goal } from './goals.js';
import { acceptedBy, busiestMinute } from './morning-peak.js';
import { WORKERD_BENCH_VARS, workerdCpuMs } from './workerd-cpu.js';

/** Ten minutes: every text due at 08:00 gone by 08:10. */
const ALLOWED_MS = 600_000;

/**
 * Issue 38, item 3, on Workers Paid: the national set's busiest minute of reminders made due now
 * (workerd's clock cannot be moved; the practices' zone is set to one where it is daytime, as the
 * send-queue test does, so quiet hours do not hold them), then cron passes through workerd with
 * `D1_QUERY_BUDGET=1000` and the send queue bound, the cron firing every minute, sending through
 * Twilio's REST API to the double in a process of its own. How long until the double has them all.
 */
export async function workersPeak(seeded: string, practices: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clg-bench-peak-'));
  const copy = join(dir, 'peak.db');
  const source = new Database(seeded);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  copyFileSync(seeded, copy);
  const db = new Database(copy);
  const peak = busiestMinute(db);
  if (!peak) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    return console.log('Workers peak: nothing planned to send');
  }
  const dueAt = Date.now() - 60_000;
  db.prepare(`UPDATE messages SET due_at = ? WHERE status = 'pending' AND due_at = ?`).run(dueAt, peak.at);
  db.prepare('UPDATE practices SET timezone = ?').run(daytimeZone());
  // The plans stand as made, as if the zone had always been this one: otherwise the cron's planner
  // moves the texts made due back to their hour in the new zone (it moved 1,980 in a first run).
  db.exec('UPDATE reminder_plans SET plan_version = (SELECT plan_version FROM practices WHERE practices.id = reminder_plans.practice_id)');
  db.close();
  const twilio = await childServer('bench/twilio-double-server.ts', [], { core: 1 });
  const double = new TwilioDouble();
  const vars = {
    ...WORKERD_BENCH_VARS,
    D1_QUERY_BUDGET: '1000',
    ...double.envFor(`http://127.0.0.1:${twilio.port}`),
  };
  const { dev, base, persist } = await wranglerDev(vars, () => undefined, { seeded: copy, sendQueue: true });
  try {
    const before = workerdCpuMs(dev.pid!);
    const t0 = performance.now();
    // The cron fires every minute, as Cloudflare fires it; not awaited: the queue's invocations send
    // beside each pass, and what matters is the double's count.
    const cron = () =>
      void fetch(`${base}/__scheduled?cron=*+*+*+*+*`).then(
        (r) => r.text(),
        () => undefined,
      );
    let sent = 0;
    let passes = 0;
    for (let tick = 0; performance.now() - t0 < ALLOWED_MS && sent < peak.n; tick++) {
      if (tick % 120 === 0) (cron(), passes++);
      await new Promise((r) => setTimeout(r, 500));
      sent = acceptedBy(twilio.output());
      if (tick % 60 === 59) console.log(`  ${((tick + 1) / 2).toFixed(0)} s: ${sent.toLocaleString('en-GB')} sent`);
    }
    const took = performance.now() - t0;
    const cpu = workerdCpuMs(dev.pid!) - before;
    line(
      `morning peak on workerd, ${practices.toLocaleString('en-GB')} practices`,
      `${(took / 1000).toFixed(0)} s`,
      'of the 10 minutes allowed',
      took / ALLOWED_MS,
      `${sent.toLocaleString('en-GB')} of ${peak.n.toLocaleString('en-GB')} texts sent, ${passes} cron passes a minute apart (the send queue bound, D1_QUERY_BUDGET=1000); ${((sent / took) * 1000).toFixed(0)} a second; ${(cpu / 1000).toFixed(0)} s of CPU (workerd and its local D1)`,
    );
    goal({
      measure: `morning peak at ${practices.toLocaleString('en-GB')} practices on workerd (Workers Paid's budget, the send queue bound)`,
      filed: 'not measured',
      now: `${sent.toLocaleString('en-GB')} of ${peak.n.toLocaleString('en-GB')} texts in ${(took / 1000).toFixed(0)} s`,
      goal: 'all gone within 10 minutes',
      met: sent >= peak.n && took <= ALLOWED_MS,
    });
  } finally {
    stopWranglerDev(dev);
    await twilio.stop();
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`  the peak's texts by status at the end: ${JSON.stringify(statusesIn(persist, dueAt))}`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(persist, { recursive: true, force: true });
  }
}

/** What became of the peak's texts, read from the local D1 database once workerd has stopped. */
function statusesIn(persist: string, dueAt: number): Record<string, number> {
  const dir = join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')!;
  const db = new Database(join(dir, file), { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT status || coalesce(': ' || status_reason, '') AS s, count(*) AS n FROM messages WHERE due_at = ? GROUP BY 1`)
      .all(dueAt) as { s: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.s, r.n]));
  } finally {
    db.close();
  }
}
