import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { groupWithPeople, outbox } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

describe('days the practice is closed', () => {
  it('an admin closes a day after seeing the sessions it cancels and every text, then opens it again', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian', smsConsent: false }]);
    const admin = await pagesAs(t, t.admin.token);
    const check = await admin.post('/closures', { date: '2027-03-02', reason: 'staff training' });
    expect(check.status).toBe(200);
    expect(check.html).toContain('Close the practice on Tuesday 2 March 2027?');
    expect(check.html).toContain('Tuesday Health Walk, 10:00');
    expect(check.html).toMatch(/Hi Amira, sorry: your Tuesday group on .* is cancelled \(Practice closed: staff training\)/);
    expect(check.html).toContain('no consent to texts');
    expect((await t.request('GET', `/api/v1/sessions/${sessions[0]!.id}`, { token: t.clp.token })).body.status).toBe('scheduled');

    const done = await admin.post('/closures', { date: '2027-03-02', reason: 'staff training', confirmed: 'yes' });
    expect(decodeURIComponent(done.location!)).toContain('1 session cancelled; 1 text queued; 1 person cannot be texted');
    expect((await t.request('GET', `/api/v1/sessions/${sessions[0]!.id}`, { token: t.clp.token })).body.status).toBe('cancelled');
    expect((await outbox(t, 'cancellation')).filter((m) => m.status === 'pending')).toHaveLength(1);
    const list = await admin.get('/closures');
    expect(list.html).toContain('Tuesday 2 March 2027');

    const id = (await t.db.selectFrom('closures').select('id').executeTakeFirstOrThrow()).id;
    expect((await admin.post(`/closures/${id}/remove`)).html).toContain('Open again on Tuesday 2 March 2027?');
    await admin.post(`/closures/${id}/remove`, { confirmed: 'yes' });
    expect((await t.request('GET', `/api/v1/sessions/${sessions[0]!.id}`, { token: t.clp.token })).body.status).toBe('scheduled');
  });

  it('a day that cannot be read or has gone comes back on the form; CLPs read the list but cannot close a day', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const admin = await pagesAs(t, t.admin.token);
    const bad = await admin.post('/closures', { date: '2027-02-30', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#date"');
    expect((await admin.post('/closures', { date: '2027-02-01' })).html).toContain('Choose today or a day still to come');
    const clp = await pagesAs(t, t.clp.token);
    expect((await clp.get('/closures')).status).toBe(200);
    expect((await clp.get('/closures')).html).not.toContain('Close a day');
    expect((await clp.post('/closures', { date: '2027-03-09' })).status).toBe(403);
  });
});
