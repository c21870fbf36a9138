import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

const filled = (over: Record<string, string> = {}) => ({
  givenName: 'Amira',
  familyName: 'Haddad',
  phone: '07700 900123',
  smsConsent: 'yes',
  chiNumber: '0101901232',
  preferredLanguage: 'ar',
  reason: 'Lonely since moving here',
  needs: 'loneliness',
  otherNeeds: 'somewhere to go on Tuesdays',
  toBeReferred: 'yes',
  shareWithReferrer: 'yes',
  referrerName: 'Dr Morag Kerr',
  referrerOrganisation: 'Possilpark Health Centre',
  ...over,
});

describe('referrals on the pages, without JavaScript', () => {
  it('a receptionist refers someone; without consent the form says so beside the box and keeps what was typed', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const staff = await pagesAs(t, t.staff.token);
    const form = await staff.get('/referrals/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain('novalidate');
    expect(form.html).toContain('Tuesday Health Walk');
    const refused = await staff.post('/referrals', filled({ toBeReferred: '', suggestedGroupId: String(group.id) }));
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<title>Error: Refer someone to a group');
    expect(refused.html).toContain('href="#toBeReferred"');
    expect(refused.html).toContain('value="Haddad"');
    expect(await t.db.selectFrom('referrals').selectAll().execute()).toEqual([]);
    const bad = await staff.post('/referrals', filled({ givenName: '', chiNumber: '123' }));
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#givenName"');
    expect(bad.html).toContain('href="#chiNumber"');

    const sent = await staff.post('/referrals', filled({ suggestedGroupId: String(group.id) }));
    expect(sent.status).toBe(303);
    const page = await staff.get(sent.location!);
    expect(page.html).toContain('Referral sent');
    expect(page.html).toContain('Lonely since moving here');
    expect(page.html).toContain('loneliness, somewhere to go on Tuesdays');
    expect(page.html).not.toContain('Accept');
    expect(page.html).not.toContain('0101901232');
    expect(page.html).not.toContain('900123');
    // Their list shows it; the nav offers Referrals.
    const mine = await staff.get('/referrals');
    expect(mine.html).toContain('Amira Haddad');
    expect(mine.html).toContain('href="/referrals"');
  });

  it('a CLP sees the count on Today, accepts into the suggested group in one tap, and the message back shows on the page', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const staff = await pagesAs(t, t.staff.token);
    const sent = await staff.post('/referrals', filled({ suggestedGroupId: String(group.id) }));
    const id = sent.location!.match(/\/referrals\/(\d+)/)![1];
    const clp = await pagesAs(t, t.clp.token);
    expect((await clp.get('/today')).html).toContain('New referrals: 1');
    const open = await clp.get(`/referrals/${id}`);
    expect(open.html).toMatch(new RegExp(`<option value="${group.id}" selected[^>]*>Tuesday Health Walk`));
    const noReason = await clp.post(`/referrals/${id}/move`, { status: 'declined' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('href="#reason"');
    const accepted = await clp.post(`/referrals/${id}/move`, { status: 'accepted', groupId: String(group.id) });
    expect(accepted.status).toBe(303);
    const after = await clp.get(`/referrals/${id}`);
    expect(after.html).toContain('given a place at Tuesday Health Walk; their first session is on 2 Mar 2027');
    expect(after.html).toContain('Sessions attended');
    expect(after.html).toContain('id="reply-text"');
    expect(after.html).toContain('Mark as contacted');
    expect((await clp.get('/today')).html).not.toContain('New referrals');
    // A repeated tap (an old page) is told, not a crash.
    const again = await clp.post(`/referrals/${id}/move`, { status: 'accepted', groupId: String(group.id) });
    expect(again.status).toBe(409);
    expect(again.html).toContain('There is a problem');
    // Closing is for good: asked once more first, and nothing changes until it is confirmed.
    await clp.post(`/referrals/${id}/move`, { status: 'contacted' });
    const asked = await clp.post(`/referrals/${id}/move`, { status: 'closed' });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('Yes, close it');
    expect((await t.request('GET', `/api/v1/referrals/${id}`, { token: t.clp.token })).body.status).toBe('contacted');
    expect((await clp.post(`/referrals/${id}/move`, { status: 'closed', confirmed: 'yes', reason: 'Settled in' })).status).toBe(303);
    expect((await t.request('GET', `/api/v1/referrals/${id}`, { token: t.clp.token })).body.status).toBe('closed');
    // The referrer reads the same message back.
    expect((await staff.get(`/referrals/${id}`)).html).toContain('Closed on 1 Mar 2027. The person did not come to a session.');
  });
});
