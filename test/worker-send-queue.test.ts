import type { ChildProcess } from 'node:child_process';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from './helpers/http.js';
import { daytimeZone, everyDay } from './helpers/schedules.js';
import { TwilioDouble } from './helpers/twilio-double.js';
import { runWrangler, stopWranglerDev, wranglerDev } from './helpers/wrangler-dev.js';

let dev: ChildProcess | undefined;
let base = '';
let persist = '';
let config: string[] = [];
let log = '';
const double = new TwilioDouble();

beforeAll(async () => {
  await double.start();
  const vars = {
    ADMIN_EMAIL: 'admin@queue.test',
    ADMIN_PASSWORD: 'queue admin password',
    PRACTICE_NAME: 'Queue Practice',
    PUBLIC_BASE_URL: 'https://groups.example.org',
    ...double.env,
    // Workers Free: one invocation sends about 5 texts within its 50 queries.
    D1_QUERY_BUDGET: '50',
  };
  ({ dev, base, persist, config } = await wranglerDev(vars, (text) => (log += text), { sendQueue: true }));
}, 90_000);

afterAll(async () => {
  if (process.env.DEBUG_WORKER) console.log(log);
  stopWranglerDev(dev);
  await double.stop();
});

const api = (method: string, path: string, token?: string, body?: unknown) => fetchJson(base, method, path, token, body);

describe('the national morning peak on Workers, with the send queue bound', { timeout: 90_000 }, () => {
  it('one cron pass sends 30 due texts within Workers Free’s 50 queries an invocation, through queue invocations side by side, each once', async () => {
    const token = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@queue.test', password: 'queue admin password' })).body.token as string;
    expect(token).toBeTruthy();
    const zone = daytimeZone();
    await runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persist, ...config, '--command', `UPDATE practices SET timezone = '${zone}'`]);
    const venue = await api('POST', '/api/v1/venues', token, { name: 'Park gate' });
    // From the day after tomorrow: a walk tomorrow at 10:00 has its 24-hour reminder due at 10:00 today, which
    // a run at that minute (CI's, at 09:59) saw sent beside the thirty welcomes.
    const firstWalk = DateTime.now().setZone(zone).plus({ days: 2 }).toISODate()!;
    const group = await api('POST', '/api/v1/groups', token, {
      name: 'Morning walk',
      kind: 'health_walk',
      venueId: venue.body.id,
      schedule: everyDay(firstWalk, '10:00', 60),
    });
    expect(group.status).toBe(201);
    const numbers: string[] = [];
    for (let i = 0; i < 30; i++) {
      const phone = `+4477009003${String(i).padStart(2, '0')}`;
      numbers.push(phone);
      const p = await api('POST', '/api/v1/participants', token, { givenName: `Walker ${i}`, phone, smsConsent: true });
      expect((await api('POST', `/api/v1/groups/${group.body.id}/enrolments`, token, { participantId: p.body.id })).status).toBe(201);
    }
    // One cron pass, and no other: without the queue it sends about 5 of the 30 and the rest wait a minute each.
    expect((await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);
    const welcomed = () => double.accepted.filter((m) => numbers.includes(m.to));
    for (let i = 0; i < 120 && welcomed().length < 30; i++) await new Promise((r) => setTimeout(r, 250));
    expect(welcomed()).toHaveLength(30);
    // Each person once, however many invocations claimed side by side.
    expect(new Set(welcomed().map((m) => m.to)).size).toBe(30);
    const outbox = (await api('GET', '/api/v1/messages?direction=outbound&limit=200', token)).body.items as { kind: string; status: string }[];
    expect(outbox.filter((m) => m.kind === 'welcome').map((m) => m.status)).toEqual(Array(30).fill('sent'));
  });
});
