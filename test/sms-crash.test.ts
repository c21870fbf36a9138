import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/schema.js';
import { kyselyFor, migrate, openSqlite } from '../src/db/sqlite.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { LEASE_MS } from '../src/sms/outbox/lease.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { runReminders } from '../src/sms/outbox/run-reminders.js';
import { TwilioTransport } from '../src/sms/twilio/twilio-transport.js';
import { runScript, tempDbPath } from './helpers/spawn-server.js';
import { TwilioDouble } from './helpers/twilio-double.js';

const PER_TRIAL = 12;
const KILLS = 30;
const MESSAGES = PER_TRIAL * KILLS;

let double: TwilioDouble;
beforeAll(async () => {
  double = await new TwilioDouble().start();
});
afterAll(() => double.stop());

/** One practice and one group; each trial enrols PER_TRIAL more people, each with one ad-hoc text due now. */
async function seed(path: string, zone: string): Promise<Db> {
  const db = kyselyFor(openSqlite(path));
  await migrate(db);
  const now = Date.now();
  const raw = openSqlite(path);
  raw.exec(`INSERT INTO practices (id, name, timezone, created_at) VALUES (1, 'Crash Practice', '${zone}', ${now});
    INSERT INTO venues (id, practice_id, name, created_at, updated_at) VALUES (1, 1, 'Park', ${now}, ${now});
    INSERT INTO community_groups (id, practice_id, name, kind, venue_id, frequency, weekdays, start_time, duration_minutes, start_date, created_at, updated_at)
      VALUES (1, 1, 'Walk', 'health_walk', 1, 'weekly', 'tue', '10:00', 60, '2027-03-02', ${now}, ${now});`);
  raw.close();
  return db;
}

function addTexts(path: string, trial: number): void {
  const now = Date.now();
  const raw = openSqlite(path);
  const person = raw.prepare(
    `INSERT INTO participants (id, practice_id, given_name, phone, sms_consent, created_at, updated_at) VALUES (?, 1, ?, ?, 1, ${now}, ${now})`,
  );
  const enrol = raw.prepare(
    `INSERT INTO enrolments (practice_id, group_id, participant_id, status, requested_at, created_at, updated_at) VALUES (1, 1, ?, 'active', ${now}, ${now}, ${now})`,
  );
  const text =
    raw.prepare(`INSERT INTO messages (practice_id, direction, kind, dedupe_key, participant_id, group_id, to_number, body, status, due_at, created_at, updated_at)
    VALUES (1, 'outbound', 'adhoc', ?, ?, 1, ?, ?, 'pending', ${now - 1000}, ${now}, ${now})`);
  raw.transaction(() => {
    for (let i = trial * PER_TRIAL + 1; i <= (trial + 1) * PER_TRIAL; i++) {
      const phone = `+447700900${String(i).padStart(3, '0')}`;
      person.run(i, `P${i}`, phone);
      enrol.run(i);
      text.run(`crash:${i}`, i, phone, `crash-test message ${i}`);
    }
  })();
  raw.close();
}

/** Starts a reminder pass and SIGKILLs it after `ms`, wherever it is. */
function killAfter(env: Record<string, string>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/reminders.ts', '--once'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('a dispatcher killed mid-send (SIGKILL at random points)', () => {
  it("never sends a text twice, never leaves one unsent, and settles every interrupted send by Twilio's log", async () => {
    // Quiet hours would hold the texts back if CI runs at night: give the practice a zone where it is daytime now.
    const hourIn = (zone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    const zone = Array.from({ length: 24 }, (_, i) => `Etc/GMT${i - 11 >= 0 ? '+' : ''}${i - 11}`).find((z) => hourIn(z) >= 9 && hourIn(z) < 19)!;
    const path = tempDbPath();
    const db = await seed(path, zone);
    // Slow enough that kills land before, during and after requests; some answers are lost after Twilio took the text.
    double.always({ kind: 'delay', ms: 200 });
    for (let i = 0; i < 2 * MESSAGES; i++) double.next(i % 7 === 6 ? { kind: 'lose-answer' } : { kind: 'delay', ms: 200 });
    const twilio = { accountSid: double.accountSid, authToken: double.authToken, from: '+447700900999', apiBaseUrl: double.baseUrl, timeoutMs: 2_000 };
    const env = {
      DATABASE_PATH: path,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: twilio.from,
      TWILIO_API_BASE_URL: twilio.apiBaseUrl,
      PUBLIC_BASE_URL: 'https://groups.example.org',
    };

    // A pass starts sending about 1.2 s after launch: kills land before, during and after its requests.
    for (let i = 0; i < KILLS; i++) {
      addTexts(path, i);
      await killAfter(env, 1_000 + Math.floor(Math.random() * 1_400));
    }
    const states = await db.selectFrom('messages').select(['status']).execute();
    const interrupted = states.filter((r) => r.status === 'sending' || r.status === 'unknown').length;

    // Time passes beyond any lease; the next passes settle what the kills left, then send the rest.
    const clock = new ManualClock(new Date());
    const sms = new TwilioTransport(twilio);
    double.always({ kind: 'ok' });
    for (let i = 0; i < 6; i++) {
      clock.advance(LEASE_MS + 60_000);
      await runReminders({ db, sms, clock, templates: loadTemplates() });
    }
    const last = await runScript('src/cli/reminders.ts', env, ['--once']);
    expect(last.code).toBe(0);

    const rows = await db.selectFrom('messages').selectAll().execute();
    const received = new Map<string, number>();
    for (const m of double.accepted) received.set(m.body, (received.get(m.body) ?? 0) + 1);
    const duplicates = [...received.values()].filter((n) => n > 1).length;
    const unknownNeverAccepted = rows.filter((r) => r.status === 'unknown' && !received.has(r.body)).length;
    const leftClaimed = rows.filter((r) => r.status === 'sending' || r.status === 'pending').length;
    console.log(
      `crash trials: ${KILLS} kills, ${interrupted} rows interrupted, ${double.accepted.length} accepted by the double, ` +
        `${duplicates} duplicates, ${unknownNeverAccepted} unknown never accepted, ${leftClaimed} claimed or pending left`,
    );
    expect(duplicates).toBe(0);
    expect(unknownNeverAccepted).toBe(0);
    expect(leftClaimed).toBe(0);
    for (const r of rows) {
      expect(r.status, `${r.body}: ${r.status_reason}`).toBe('sent');
      expect(received.get(r.body)).toBe(1);
      expect(double.accepted.find((m) => m.body === r.body)!.sid).toBe(r.provider_sid);
    }
    expect(double.accepted).toHaveLength(MESSAGES);
    await db.destroy();
  }, 180_000);
});
