import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

/** Route by route: another practice's ids answer 404 (or nothing), and nothing of theirs changes. */
describe('practice isolation', () => {
  it('closures, sessions, messages, reports, check-ins and feeds of another practice are out of reach', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const theirs = await seedGroup(t, {}, t.otherAdmin.token);
    const closure = await t.request('POST', '/api/v1/closures', { token: t.otherAdmin.token, body: { date: '2027-03-09', reason: 'Training' } });
    const [session] = (await t.request('GET', `/api/v1/groups/${theirs.group.id}/sessions?from=2027-03-01&to=2027-03-05`, { token: t.otherAdmin.token })).body
      .items;
    const person = await t.request('POST', '/api/v1/participants', {
      token: t.otherAdmin.token,
      body: { givenName: 'Zed', phone: '07700 900321', smsConsent: true },
    });
    await t.request('POST', `/api/v1/groups/${theirs.group.id}/enrolments`, { token: t.otherAdmin.token, body: { participantId: person.body.id } });
    const feed = await t.request('POST', '/api/v1/calendar-feeds', { token: t.otherAdmin.token, body: { scope: 'group', groupId: theirs.group.id } });

    // Being a member of their practice too changes nothing while this session acts in ours.
    await t.db
      .insertInto('memberships')
      .values({ user_id: t.admin.id, practice_id: t.otherPractice.id, role: 'admin', disabled_at: null, created_at: 0 })
      .execute();
    const mine = t.admin.token;
    expect((await t.request('GET', `/api/v1/groups/${theirs.group.id}`, { token: mine })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/groups/${theirs.group.id}`, { token: mine, body: { name: 'Taken' } })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/venues/${theirs.venueId}`, { token: mine })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/participants/${person.body.id}`, { token: mine })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/participants/${person.body.id}`, { token: mine, body: { givenName: 'X' } })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/participants/${person.body.id}/export`, { token: mine })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/participants/${person.body.id}/erase`, { token: mine })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/sessions/${session.id}`, { token: mine })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/sessions/${session.id}`, { token: mine, body: { status: 'cancelled', reason: 'x' } })).status).toBe(404);
    expect((await t.request('PUT', `/api/v1/sessions/${session.id}/register`, { token: mine, body: { entries: [] } })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/users/${t.otherAdmin.id}`, { token: mine })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/users/${t.otherAdmin.id}`, { token: mine, body: { role: 'staff' } })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/users/${t.otherAdmin.id}/password-reset`, { token: mine })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/groups/${theirs.group.id}/sessions`, { token: mine, body: { startsAt: '2027-03-20T10:00:00Z' } })).status).toBe(
      404,
    );
    expect((await t.request('POST', `/api/v1/groups/${theirs.group.id}/enrolments`, { token: mine, body: { participantId: person.body.id } })).status).toBe(
      404,
    );
    expect((await t.request('DELETE', `/api/v1/closures/${closure.body.id}`, { token: mine })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/closures', { token: mine })).body.items).toEqual([]);
    expect((await t.request('POST', `/api/v1/sessions/${session.id}/messages`, { token: mine, body: { body: 'hello' } })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/sessions/${session.id}/register`, { token: mine })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/groups/${theirs.group.id}/enrolments`, { token: mine })).status).toBe(404);
    expect((await t.request('DELETE', `/api/v1/groups/${theirs.group.id}/enrolments/${person.body.id}`, { token: mine })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/reports/attendance?groupId=${theirs.group.id}`, { token: mine })).body.groups).toEqual([]);
    expect((await t.request('GET', '/api/v1/reports/monitoring', { token: mine })).body.items).toEqual([]);
    expect((await t.request('GET', `/api/v1/check-ins?groupId=${theirs.group.id}`, { token: mine })).body.items).toEqual([]);
    expect((await t.request('GET', '/api/v1/messages', { token: mine })).body.items).toEqual([]);
    expect(
      (await t.request('GET', '/api/v1/audit-events', { token: mine })).body.items.every(
        (e: { participantId: number | null }) => e.participantId !== person.body.id,
      ),
    ).toBe(true);
    expect((await t.request('DELETE', `/api/v1/calendar-feeds/${feed.body.id}`, { token: mine })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/calendar-feeds', { token: mine })).body.items).toEqual([]);
    expect((await t.request('POST', '/api/v1/calendar-feeds', { token: mine, body: { scope: 'group', groupId: theirs.group.id } })).status).toBe(404);

    // Theirs is untouched.
    expect((await t.request('GET', '/api/v1/closures', { token: t.otherAdmin.token })).body.items).toHaveLength(1);
    expect((await t.request('GET', `/api/v1/groups/${theirs.group.id}/enrolments?status=active`, { token: t.otherAdmin.token })).body.items).toHaveLength(1);
    expect((await t.request('GET', new URL(feed.body.url).pathname)).status).toBe(200);
  });
});
