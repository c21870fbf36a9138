import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';

/** Two years on, the test's sessions have long expired: sign in again. */
const signIn = async (t: TestApp, email: string) =>
  (await t.request('POST', '/api/v1/auth/login', { body: { email, password: TEST_PASSWORD } })).body.token as string;

describe('keeping only what is needed', () => {
  it("texts' words are blanked after the practice's months (status kept); texts still to go are untouched", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t); // the welcome goes on 1 March
    t.clock.set('2027-08-31T09:00:00Z'); // six months less a day: kept
    await pass(t);
    const [welcome] = await outbox(t, 'welcome');
    expect(welcome!.body).toContain('Amira');
    t.clock.set('2027-09-02T09:00:00Z');
    await pass(t);
    const after = (await outbox(t)).filter((m) => m.id === welcome!.id)[0]!;
    expect(after).toMatchObject({ body: '', status: 'sent', body_blanked_at: Date.parse('2027-09-02T09:00:00Z') });
    const pending = (await outbox(t)).filter((m) => m.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((m) => m.body.includes('Amira'))).toBe(true);
    // A practice keeping them 12 months: later texts stay.
    const patched = await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { retentionTextMonths: 12 } });
    expect(patched.body).toMatchObject({ retentionTextMonths: 12, retentionInactiveMonths: 24, attendanceThreshold: 0.5 });
    expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { retentionTextMonths: 0 } })).status).toBe(400);
  });

  it('people with no activity for 24 months are listed, and erased in one confirmed step keeping the anonymous counts', async () => {
    const t = await makeTestApp('2025-01-06T09:00:00Z');
    const { group, ids, sessions } = await groupWithPeople(t, [{ givenName: 'Old' }, { givenName: 'Current' }], {
      schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2025-01-07' },
    });
    void sessions;
    const first = await t.db.selectFrom('sessions').select('id').where('group_id', '=', group.id).orderBy('starts_at').executeTakeFirstOrThrow();
    t.clock.set('2025-01-07T10:05:00Z');
    await t.request('PUT', `/api/v1/sessions/${first.id}/register`, { token: t.clp.token, body: { entries: [{ participantId: ids[0], status: 'present' }] } });
    await t.request('DELETE', `/api/v1/groups/${group.id}/enrolments/${ids[0]}`, { token: t.clp.token });

    t.clock.set('2027-01-05T09:00:00Z'); // 24 months less a couple of days
    t.admin.token = await signIn(t, 'admin@possil.test');
    t.clp.token = await signIn(t, 'clp@possil.test');
    const early = await t.request('GET', '/api/v1/retention/inactive', { token: t.admin.token });
    expect(early.body.items, JSON.stringify(early.body)).toEqual([]);
    t.clock.set('2027-01-09T09:00:00Z');
    const listed = await t.request('GET', '/api/v1/retention/inactive', { token: t.admin.token });
    expect(listed.body.items.map((p: { givenName: string }) => p.givenName)).toEqual(['Old']); // Current still has a place
    expect((await t.request('GET', '/api/v1/retention/inactive', { token: t.clp.token })).status).toBe(403);

    const refused = await t.request('POST', '/api/v1/retention/erase-inactive', { token: t.admin.token, body: { participantIds: [ids[0], ids[1]] } });
    expect(refused.status).toBe(409);
    expect((await t.db.selectFrom('participants').select('erased_at').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).erased_at).toBeNull();

    const erased = await t.request('POST', '/api/v1/retention/erase-inactive', { token: t.admin.token, body: { participantIds: [ids[0]] } });
    expect(erased.body).toEqual({ erased: 1 });
    const old = await t.db.selectFrom('participants').selectAll().where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(old).toMatchObject({ given_name: null, phone: null });
    // The attendance stays, anonymous, for the reports.
    const report = await t.request('GET', `/api/v1/reports/attendance?from=2025-01-01&to=2025-01-31`, { token: t.clp.token });
    expect(report.body.groups[0]).toMatchObject({ attendances: 1 });
  });

  it('the settings form names every field with a problem and keeps what was typed', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const admin = await pagesAs(t, t.admin.token);
    const page = await admin.post('/retention/settings', { retentionTextMonths: '0', retentionInactiveMonths: '24', attendanceThreshold: '150' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('<title>Error: Keeping only what is needed');
    expect(page.html).toContain('href="#retentionTextMonths"');
    expect(page.html).toContain('href="#attendanceThreshold"');
    expect(page.html).toContain('value="150"');
    expect(page.html).toContain('value="0"');
    expect((await t.request('GET', '/api/v1/practice', { token: t.admin.token })).body.attendanceThreshold).toBe(0.5);
  });
});
