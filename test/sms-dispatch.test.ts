import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchTwilioTransport } from '../src/sms/twilio/fetch-twilio-transport.js';
import type { SmsTransport } from '../src/sms/twilio/transport.js';
import { TwilioTransport, type TwilioConfig } from '../src/sms/twilio/twilio-transport.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';
import { TwilioDouble } from './helpers/twilio-double.js';

let double: TwilioDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

// Node sends through the twilio SDK, Workers through fetch: both must behave the same.
const TRANSPORTS: [string, (cfg: TwilioConfig) => SmsTransport][] = [
  ['twilio SDK', (cfg) => new TwilioTransport(cfg)],
  ['fetch (Workers)', (cfg) => new FetchTwilioTransport(cfg)],
];
let makeTransport: (cfg: TwilioConfig) => SmsTransport = TRANSPORTS[0]![1];

async function withTwilio(opts: { timeoutMs?: number } = {}) {
  double = await new TwilioDouble().start();
  const sms = makeTransport({
    accountSid: double.accountSid,
    authToken: double.authToken,
    from: '+447700900999',
    apiBaseUrl: double.baseUrl,
    timeoutMs: opts.timeoutMs ?? 2_000,
  });
  return { double, sms };
}

/** The double keeps the test's clock, so Twilio's log and our outbox agree on what day it is. */
function sameClock(d: TwilioDouble, t: TestApp) {
  d.now = () => t.clock.now();
}

/** Three people, welcomes already sent, and the clock at the 24 h reminder for the first walk. */
async function dueReminders(t: TestApp, sms: SmsTransport, d: TwilioDouble) {
  const setup = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }, { givenName: 'Chloe' }]);
  await pass(t, sms);
  d.accepted.length = 0;
  t.clock.set('2027-03-01T10:00:00Z');
  return setup;
}

describe.each(TRANSPORTS)('sending through Twilio (a local double of its API) with the %s transport', (_name, make) => {
  beforeEach(() => {
    makeTransport = make;
  });

  it('sends with basic auth, the from number and a status callback, and records the SID', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { double: d, sms } = await withTwilio();
    await dueReminders(t, sms, d);
    const r = await pass(t, sms);
    expect(r.sent).toBe(3);
    expect(d.accepted.map((m) => m.to).sort()).toEqual(['+447700900001', '+447700900002', '+447700900003']);
    expect(d.accepted[0]).toMatchObject({ from: '+447700900999', statusCallback: 'https://groups.example.org/webhooks/twilio/status' });
    const rows = (await outbox(t, 'reminder')).filter((m) => m.status === 'sent');
    expect(rows.map((m) => m.provider_sid).sort()).toEqual(d.accepted.map((m) => m.sid).sort());
    expect(rows.every((m) => m.transport === 'twilio' && m.status_reason === null)).toBe(true);
  });

  it('a 429 storm and 5xx errors back off (honouring Retry-After), then every text goes exactly once', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { double: d, sms } = await withTwilio();
    await dueReminders(t, sms, d);
    d.next(
      { kind: 'error', status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 120 },
      { kind: 'error', status: 503, code: 20503, message: 'Service unavailable' },
      { kind: 'error', status: 500, code: 20500 },
    );
    const first = await pass(t, sms);
    expect(first).toMatchObject({ sent: 0, retried: 3 });
    const waiting = await outbox(t, 'reminder');
    const due = waiting
      .filter((m) => m.status === 'pending' && m.attempts === 1)
      .map((m) => m.due_at - t.clock.now().getTime())
      .sort((a, b) => a - b);
    expect(due).toEqual([30_000, 30_000, 120_000]);
    d.next({ kind: 'error', status: 503, code: 20503 });
    t.clock.advance(60_000);
    await pass(t, sms);
    t.clock.advance(30 * 60_000);
    await pass(t, sms);
    const bodies = d.accepted.map((m) => m.to).sort();
    expect(bodies).toEqual(['+447700900001', '+447700900002', '+447700900003']);
    expect((await outbox(t, 'reminder')).filter((m) => m.due_at <= t.clock.now().getTime() && m.session_id !== null && m.status === 'sent')).toHaveLength(3);
  });

  it('gives up after the attempt cap and says why', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { double: d, sms } = await withTwilio();
    await dueReminders(t, sms, d);
    d.always({ kind: 'error', status: 500, code: 20500, message: 'Internal error' });
    for (let i = 0; i < 8; i++) {
      await pass(t, sms);
      t.clock.advance(31 * 60_000);
    }
    const rows = (await outbox(t, 'reminder')).filter((m) => m.attempts > 0);
    expect(rows).toHaveLength(3);
    expect(rows.every((m) => m.status === 'failed' && m.attempts === 6 && /gave up after 6 attempts/.test(m.status_reason!))).toBe(true);
  });

  it('permanent errors fail at once; 21610 opts out and 21211 marks the number invalid, so nothing more is tried', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { double: d, sms } = await withTwilio();
    const { ids } = await dueReminders(t, sms, d);
    d.next(
      { kind: 'error', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
      { kind: 'error', status: 400, code: 21211, message: "Invalid 'To' Phone Number" },
    );
    const r = await pass(t, sms);
    expect(r).toMatchObject({ sent: 1, failed: 2 });
    const failed = (await outbox(t, 'reminder')).filter((m) => m.status === 'failed');
    expect(failed.map((m) => m.error_code).sort()).toEqual(['21211', '21610']);
    const optedOut = await t.db.selectFrom('participants').select(['id']).where('opted_out_at', 'is not', null).execute();
    expect(optedOut).toHaveLength(1);
    const who = failed.find((m) => m.error_code === '21610')!.participant_id;
    expect(optedOut[0]!.id).toBe(who);
    const invalid = failed.find((m) => m.error_code === '21211')!.participant_id!;
    const page = await t.request('GET', `/api/v1/participants/${invalid}`, { token: t.clp.token });
    expect(page.body.phoneStatus).toBe('invalid');
    // Their other queued texts are skipped at once, with a reason, not left to fail one by one.
    const queued = (await outbox(t)).filter((m) => m.participant_id === invalid && !['failed', 'sent'].includes(m.status));
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((m) => m.status === 'skipped' && m.status_reason === 'number_invalid')).toBe(true);
    t.clock.set('2027-03-02T08:00:00Z');
    d.accepted.length = 0;
    await pass(t, sms);
    expect(d.accepted.map((m) => m.to)).not.toContain(`+4477009000${ids.indexOf(who!) + 1}`);
    expect(d.accepted).toHaveLength(1);
    // A new number starts clean.
    await t.request('PATCH', `/api/v1/participants/${invalid}`, { token: t.clp.token, body: { phone: '07700 900555' } });
    expect((await t.request('GET', `/api/v1/participants/${invalid}`, { token: t.clp.token })).body.phoneStatus).toBeNull();
  });

  it('connection refused is retried; a send that may have gone is "unknown" until Twilio\'s log settles it, never resent blindly', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { double: d, sms } = await withTwilio({ timeoutMs: 300 });
    sameClock(d, t);
    await dueReminders(t, sms, d);
    // One request dies before Twilio takes it, one hangs, one is taken but the answer is lost.
    d.next({ kind: 'die' }, { kind: 'hang' }, { kind: 'lose-answer' });
    const r = await pass(t, sms);
    expect(r).toMatchObject({ unknown: 3 });
    expect(d.accepted).toHaveLength(1);
    const port = Number(new URL(d.baseUrl).port);
    await d.stop();
    await new Promise((r) => setTimeout(r, 200));
    t.clock.advance(5 * 60_000);
    // Twilio is down: its log cannot be read, so nothing is guessed.
    await pass(t, sms);
    expect((await outbox(t, 'reminder')).filter((m) => m.status === 'unknown')).toHaveLength(3);
    double = await new TwilioDouble().start(port);
    double.accepted.push(...d.accepted);
    sameClock(double, t);
    t.clock.advance(60_000);
    const settled = await pass(t, sms);
    expect(settled.reconciled).toBe(3);
    const rows = (await outbox(t, 'reminder')).filter((m) => m.due_at <= Date.parse('2027-03-01T10:00:00Z') && m.status !== 'pending');
    // The one Twilio took is confirmed with its SID; the two it never had went again, once each.
    const taken = rows.find((m) => m.provider_sid === d.accepted[0]!.sid)!;
    expect(taken.status).toBe('sent');
    expect(taken.status_reason).toMatch(/confirmed in Twilio's log/);
    expect(double.accepted).toHaveLength(3);
    expect(new Set(double.accepted.map((m) => m.to)).size).toBe(3);
    expect((await outbox(t, 'reminder')).filter((m) => m.status === 'unknown')).toHaveLength(0);
  });
});
