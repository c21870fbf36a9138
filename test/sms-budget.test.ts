import { describe, expect, it } from 'vitest';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

describe("a practice's monthly SMS budget", () => {
  it('warns past 80%, pauses reminders past 100% while cancellations still go, and resumes next month', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t); // two welcomes of two segments each
    const usage = () => t.request('GET', '/api/v1/reports/sms-usage', { token: t.admin.token });
    expect((await usage()).body.months[0]).toMatchObject({ month: '2027-03', texts: 2, segments: 4 });
    expect((await usage()).body.budget).toMatchObject({ budget: null, used: 4, state: 'none' });

    expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { smsMonthlyBudget: 5 } })).body.smsMonthlyBudget).toBe(5);
    expect((await usage()).body.budget).toMatchObject({ budget: 5, used: 4, state: 'warning', month: '2027-03' });
    await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { smsMonthlyBudget: 4 } });
    expect((await usage()).body.budget.state).toBe('paused');

    // The 24 h reminders come due: paused. A cancellation the same day still goes.
    t.clock.set('2027-03-01T10:00:30Z');
    await t.request('PATCH', `/api/v1/sessions/${sessions[1]!.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Flooded path' } });
    await pass(t);
    const reminders = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id && m.status !== 'pending');
    expect(reminders.map((m) => [m.status, m.status_reason])).toEqual([
      ['skipped', 'budget_paused'],
      ['skipped', 'budget_paused'],
    ]);
    expect((await outbox(t, 'cancellation')).map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(t.sms.sent.filter((s) => s.body.includes('a reminder'))).toEqual([]);

    // April: a new month's budget, and reminders go again.
    t.clock.set('2027-04-05T09:00:30Z'); // 24 h before Tue 6 April, 10:00 BST
    await pass(t);
    const april = (await outbox(t, 'reminder')).filter((m) => m.status === 'sent');
    expect(april.length).toBe(2);
    expect((await usage()).body.budget).toMatchObject({ month: '2027-04', used: 2, state: 'ok' });
    const march = (await t.request('GET', '/api/v1/reports/sms-usage?from=2027-03&to=2027-03', { token: t.admin.token })).body.months;
    expect(march).toEqual([
      expect.objectContaining({ month: '2027-03', texts: 4, groups: [expect.objectContaining({ name: 'Tuesday Health Walk', texts: 4 })] }),
    ]);
  });

  it('refuses a budget that is not a whole positive number, and bad months', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    for (const smsMonthlyBudget of [0, -5, 2.5, 'lots'])
      expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { smsMonthlyBudget } })).status).toBe(400);
    expect((await t.request('PATCH', '/api/v1/practice', { token: t.clp.token, body: { smsMonthlyBudget: 100 } })).status).toBe(403);
    for (const q of ['from=2027-13', 'to=March', 'from=2027-05&to=2027-03', 'from=2020-01&to=2027-03'])
      expect((await t.request('GET', `/api/v1/reports/sms-usage?${q}`, { token: t.admin.token })).status, q).toBe(400);
    expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { smsMonthlyBudget: null } })).body.smsMonthlyBudget).toBeNull();
  });
});
