import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/schema.js';
import { kyselyFor, migrate, openSqlite } from '../src/db/sqlite.js';
import { LEASE_MS, markAbandonedUnknown } from '../src/sms/dispatcher.js';
import { runScript, tempDbPath } from './helpers/spawn-server.js';
import { spawn } from 'node:child_process';
import { TwilioDouble } from './helpers/twilio-double.js';

const MESSAGES = 60;
const TRIALS = 10;

let double: TwilioDouble;
beforeAll(async () => {
  double = await new TwilioDouble().start();
});
afterAll(() => double.stop());

async function seed(path: string): Promise<Db> {
  const db = kyselyFor(openSqlite(path));
  await migrate(db);
  const now = Date.now();
  await db.insertInto('practices').values({ name: 'Crash Practice', created_at: now }).execute();
  for (let i = 0; i < MESSAGES; i++) {
    const p = await db
      .insertInto('participants')
      .values({
        practice_id: 1,
        given_name: `P${i}`,
        phone: `+447700900${String(i).padStart(3, '0')}`,
        sms_consent: 1,
        do_not_text: 0,
        interpreter_needed: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('messages')
      .values({
        practice_id: 1,
        direction: 'outbound',
        kind: 'adhoc',
        dedupe_key: `crash:${i}`,
        participant_id: p.id,
        to_number: `+447700900${String(i).padStart(3, '0')}`,
        body: `crash-test message ${i}`,
        status: 'pending',
        due_at: now - 1000,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
  }
  return db;
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
  it('never sends a text twice, and every due text ends sent or reported unknown', async () => {
    const path = tempDbPath();
    const db = await seed(path);
    double.always({ kind: 'delay', ms: 25 });
    const env = {
      DATABASE_PATH: path,
      TWILIO_ACCOUNT_SID: double.accountSid,
      TWILIO_AUTH_TOKEN: double.authToken,
      TWILIO_FROM: '+447700900999',
      TWILIO_API_BASE_URL: double.baseUrl,
      PUBLIC_BASE_URL: 'https://groups.example.org',
    };
    // Quiet hours would hold the texts back if CI runs at night: give the practice a zone where it is daytime now.
    const hourIn = (zone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    const zone = Array.from({ length: 24 }, (_, i) => `Etc/GMT${i - 11 >= 0 ? '+' : ''}${i - 11}`).find((z) => hourIn(z) >= 9 && hourIn(z) < 19)!;
    await db.updateTable('practices').set({ timezone: zone }).execute();

    for (let i = 0; i < TRIALS; i++) await killAfter(env, 300 + Math.floor(Math.random() * 900));
    const last = await runScript('src/cli/reminders.ts', env, ['--once']);
    expect(last.code).toBe(0);
    // Time passes beyond any lease: what was mid-send when killed is now reported.
    await markAbandonedUnknown(db, Date.now() + LEASE_MS + 1000);

    const rows = await db.selectFrom('messages').selectAll().execute();
    const received = new Map<string, number>();
    for (const m of double.accepted) received.set(m.body, (received.get(m.body) ?? 0) + 1);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    for (const r of rows) {
      expect(['sent', 'unknown'], `${r.body}: ${r.status}`).toContain(r.status);
      if (r.status === 'sent') expect(received.get(r.body)).toBe(1);
    }
    const sent = rows.filter((r) => r.status === 'sent').length;
    const unknown = rows.filter((r) => r.status === 'unknown').length;
    expect(sent + unknown).toBe(MESSAGES);
    expect(sent).toBeGreaterThan(MESSAGES / 2);
    console.log(`crash trials: ${sent} sent, ${unknown} unknown, ${double.accepted.length} accepted by the double`);
    await db.destroy();
  }, 120_000);
});
