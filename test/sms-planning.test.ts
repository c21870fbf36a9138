import { insertMessages, outboundMessage } from '../src/sms/outbox/outbox.js';
import { planEnrolmentTexts } from '../src/sms/outbox/planner.js';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerType } from '@hono/node-server';
import { serveOnLoopback } from './helpers/browser.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

const pendingFor = async (t: Awaited<ReturnType<typeof makeTestApp>>, participantId: number) =>
  (await outbox(t, 'reminder')).filter((m) => m.participant_id === participantId && m.status === 'pending');

describe('the reminder pass plans only what changed', () => {
  it('leaves a practice alone while nothing a reminder depends on changed, and plans it again when something did', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian', smsConsent: false }]);
    await pass(t);
    const [amira, brian] = ids as [number, number];
    expect(await pendingFor(t, amira)).toHaveLength(4); // two sessions in the 15 days ahead, two reminders each
    expect(await pendingFor(t, brian)).toHaveLength(0);

    // A row removed behind the planner's back (nothing it watches changed) is not planned again:
    // the pass no longer re-plans the whole look-ahead every minute.
    await t.db.deleteFrom('messages').where('participant_id', '=', amira).where('kind', '=', 'reminder').execute();
    await pass(t);
    expect(await pendingFor(t, amira)).toHaveLength(0);

    // Brian agrees to texts: the practice is planned again, and everyone's reminders are back.
    expect((await t.request('PATCH', `/api/v1/participants/${brian}`, { token: t.clp.token, body: { smsConsent: true } })).status).toBe(200);
    await pass(t);
    expect(await pendingFor(t, brian)).toHaveLength(4);
    expect(await pendingFor(t, amira)).toHaveLength(4);
  });

  it('plans sessions as they come inside the look-ahead, without re-planning the rest', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    const sessionIds = async () => new Set((await pendingFor(t, ids[0]!)).map((m) => m.session_id));
    expect(await sessionIds()).toEqual(new Set([sessions[0]!.id, sessions[1]!.id]));
    t.clock.set('2027-03-03T09:00:00Z'); // the 16 March walk is now 13 days ahead
    await pass(t);
    expect(await sessionIds()).toEqual(new Set([sessions[1]!.id, sessions[2]!.id]));
  });

  it('a new practice wording or apologies plan the practice again', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    await t.db.deleteFrom('messages').where('kind', '=', 'reminder').execute();
    await t.request('PUT', '/api/v1/sms-templates/en/reminder', {
      token: t.admin.token,
      body: { body: 'Hi {{givenName}}, {{groupLabel}} is {{when}} at {{place}}. Reply C if you cannot come. {{practiceName}}' },
    });
    await pass(t);
    const planned = await pendingFor(t, ids[0]!);
    expect(planned).toHaveLength(4);
    expect(planned[0]!.body).toMatch(/^Hi Amira, your Tuesday group is /);
  });
});

describe('welcomes', () => {
  it('are worded once: while nothing new was enrolled, the passes of the next two days only look', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t);
    expect((await outbox(t, 'welcome')).map((m) => m.participant_id)).toEqual(ids);
    t.clock.set('2027-03-02T09:00:00Z');
    const budget = new QueryBudget(1_000);
    expect(await withQueryBudget(budget, () => planEnrolmentTexts(t.db, t.templates, t.clock.now().getTime()))).toBe(0);
    // One search: no practice's wording read, nothing worded again only for the insert to drop it.
    expect(budget.used).toBe(1);
    expect(await outbox(t, 'welcome')).toHaveLength(2);
  });
});

describe('the reminder pass on a busy practice', () => {
  let server: ServerType | undefined;
  afterAll(() => server?.close());

  /**
   * Runs a pass while asking /healthz again and again, counting the answers that came back while
   * the pass was still running. A pass that held the thread to the end would let none through;
   * how long each took depends on how busy the machine is, so no time is asserted here (the
   * benchmark measures that).
   */
  async function passWhilePolling(t: TestApp) {
    ({ server } = await serveOnLoopback(t.app.fetch));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    let running = true;
    let answeredDuringPass = 0;
    const poll = (async () => {
      while (running) {
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        if (running) answeredDuringPass++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const result = await pass(t);
    running = false;
    await poll;
    return { result, answeredDuringPass };
  }

  it('runs while /healthz keeps being answered', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    // 24 weekly groups of 40 people: 3,840 reminders to plan in the 15 days ahead.
    const groups: number[] = [];
    for (let g = 0; g < 24; g++) groups.push((await seedGroup(t, { name: `Walk ${g}`, capacity: 40 })).group.id);
    const now = t.clock.now().getTime();
    t.sqlite.transaction(() => {
      const person = t.sqlite.prepare(
        `INSERT INTO participants (practice_id, given_name, phone, sms_consent, sms_consent_at, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)`,
      );
      const enrol = t.sqlite.prepare(
        `INSERT INTO enrolments (practice_id, group_id, participant_id, status, requested_at, enrolled_at, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?)`,
      );
      let n = 0;
      for (const g of groups)
        for (let i = 0; i < 40; i++) {
          n++;
          const id = Number(person.run(t.practice.id, `Person ${n}`, `+4477009${String(n).padStart(5, '0')}`, now, now, now).lastInsertRowid);
          enrol.run(t.practice.id, g, id, now - 3 * 86_400_000, now - 3 * 86_400_000, now, now);
        }
    })();
    const { result, answeredDuringPass } = await passWhilePolling(t);
    expect(result.planned).toBe(3840);
    // The pass handed the thread back again and again: /healthz was answered all through it.
    expect(answeredDuringPass).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('sends a backlog after downtime while /healthz keeps being answered', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const now = t.clock.now().getTime();
    // 4,000 texts fell due while the server was down; none needs the network (their person was erased).
    await insertMessages(
      t.db,
      Array.from({ length: 4_000 }, (_, i) =>
        outboundMessage(now - 60_000, {
          practice_id: t.practice.id,
          kind: 'adhoc',
          dedupe_key: `backlog:${i}`,
          participant_id: null,
          to_number: null,
          body: 'x',
        }),
      ),
    );
    const { result, answeredDuringPass } = await passWhilePolling(t);
    expect(result.skipped).toBe(4_000);
    expect(answeredDuringPass).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
