import { describe, expect, it } from 'vitest';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { runReminders } from '../src/sms/outbox/run-reminders.js';
import { groupWithPeople, outbox } from './helpers/sms-setup.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';
import { everyDay } from './helpers/schedules.js';

/** Workers Free refuses a D1 query past the 50th of an invocation. */
const FREE_PLAN = 50;

async function budgetedPass(t: TestApp, limit = FREE_PLAN) {
  const budget = new QueryBudget(limit);
  const result = await withQueryBudget(budget, () =>
    runReminders({ db: t.db, sms: t.sms, clock: t.clock, templates: t.templates, horizonDays: 366, statusCallbackUrl: 'https://groups.example.org/s' }),
  );
  return { result, used: budget.used };
}

const stuck = async (t: TestApp) => (await outbox(t)).filter((m) => m.status === 'sending' || m.status === 'unknown');

describe('work sized to a query budget (Workers + D1)', () => {
  it('a pass under 50 queries claims only what it can send: 30 welcomes and 60 reminders all go, once each, with nothing stuck', async () => {
    const t = await makeTestApp('2027-03-01T08:00:00Z');
    const people = Array.from({ length: 30 }, (_, i) => ({ givenName: `Person ${i + 1}` }));
    await groupWithPeople(t, people, { capacity: null });

    let passes = 0;
    let most = 0;
    // A pass a minute from 08:00 until the walk starts at 10:00 on Tuesday.
    for (let at = Date.parse('2027-03-01T08:00:30Z'); at < Date.parse('2027-03-02T10:00:00Z'); at += 60_000) {
      t.clock.set(new Date(at).toISOString());
      const { used } = await budgetedPass(t);
      passes++;
      most = Math.max(most, used);
      expect(await stuck(t)).toEqual([]);
    }
    expect(most).toBeLessThanOrEqual(FREE_PLAN);
    const texts = await outbox(t);
    expect(texts.filter((m) => m.kind === 'welcome').map((m) => m.status)).toEqual(Array(30).fill('sent'));
    // The 24 h reminders go from 10:00 on Monday and the 2 h ones from 08:00 on Tuesday, a few a minute.
    const walk = Date.parse('2027-03-02T10:00:00Z');
    const reminders = texts.filter((m) => m.kind === 'reminder' && m.expires_at === walk);
    expect(reminders).toHaveLength(60);
    expect(reminders.every((m) => m.status === 'sent' && m.sent_at! < walk)).toBe(true);
    const late = reminders.map((m) => m.sent_at! - m.due_at);
    // Never more than 20 minutes late on Workers Free.
    expect(Math.max(...late)).toBeLessThan(20 * 60_000);
    // Each text left once: as many sends as rows sent, each row with its own SID.
    const sent = texts.filter((m) => m.status === 'sent');
    expect(t.sms.sent).toHaveLength(sent.length);
    expect(new Set(sent.map((m) => m.provider_sid)).size).toBe(sent.length);
    // No attempt was spent on a claim given back.
    expect(sent.every((m) => m.attempts === 1)).toBe(true);
    expect(passes).toBeGreaterThan(0);
  });

  it('refuses the query past the budget with a 503 in the error shape, never a 500', async () => {
    const t = await makeTestApp();
    const res = await withQueryBudget(new QueryBudget(1), () => t.request('GET', '/api/v1/groups', { token: t.clp.token }));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('over_query_budget');
    // Repeating the same request would need the same queries: it says what helps instead.
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.body.error.message).not.toMatch(/try again/);
    expect(res.body.error.message).toMatch(/ask for less at once.*D1_QUERY_BUDGET/);
    expect(res.body.error.details).toEqual({ limit: 1 });
  });

  it('creates a daily group for a year within 50 queries, or leaves its sessions to the next pass when too few are left', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const daily = {
      name: 'Morning stretch',
      schedule: everyDay('2027-03-02', '10:00', 30),
    };
    const budget = new QueryBudget(FREE_PLAN);
    const { group } = await withQueryBudget(budget, () => seedGroup(t, daily));
    expect(budget.used).toBeLessThanOrEqual(FREE_PLAN);
    const sessions = async (id: number) =>
      (await t.request('GET', `/api/v1/groups/${id}/sessions?from=2027-03-01&to=2028-03-01`, { token: t.clp.token })).body.items.length;
    expect(await sessions(group.id)).toBe(366);

    // With a dozen queries the group is made whole and its sessions wait for the pass.
    const venueId = (await t.request('GET', '/api/v1/venues', { token: t.clp.token })).body.items[0].id;
    const tight = await withQueryBudget(new QueryBudget(12), () =>
      t.request('POST', '/api/v1/groups', { token: t.clp.token, body: { ...daily, name: 'Evening stretch', kind: 'chair_yoga', venueId } }),
    );
    expect(tight.status).toBe(201);
    expect(await sessions(tight.body.id)).toBe(0);
    t.clock.set('2027-03-01T09:01:00Z');
    const { used } = await budgetedPass(t);
    expect(used).toBeLessThanOrEqual(FREE_PLAN);
    expect(await sessions(tight.body.id)).toBe(366);
  });

  it('a register save costs the same few queries however many marks it holds: 120 changed marks and a clear fit in a Free invocation', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const people = Array.from({ length: 120 }, (_, i) => ({ givenName: `Walker ${i + 1}` }));
    const { ids, sessions } = await groupWithPeople(t, people, { capacity: null });
    t.clock.set(sessions[0]!.startsAt);
    const save = async (entries: { participantId: number; status: string | null }[]) => {
      const budget = new QueryBudget(FREE_PLAN);
      const res = await withQueryBudget(budget, () =>
        t.request('PUT', `/api/v1/sessions/${sessions[0]!.id}/register`, { token: t.clp.token, body: { entries } }),
      );
      return { res, used: budget.used };
    };
    const few = await save(ids.slice(0, 2).map((participantId) => ({ participantId, status: 'present' })));
    const many = await save(ids.map((participantId, i) => ({ participantId, status: i === 0 ? null : i % 3 ? 'present' : 'late' })));
    expect(many.res.status).toBe(200);
    expect(many.res.body.entries.filter((e: { status: string | null }) => e.status !== null)).toHaveLength(119);
    // 118 more marks and a clear cost no more than the first save's two marks did.
    expect(many.used).toBeLessThanOrEqual(few.used + 1);
    expect(many.used).toBeLessThan(20);
  });
});
