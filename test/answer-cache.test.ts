import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

describe('read answers kept while the practice data is unchanged', () => {
  it('shows every change to groups and sessions on the very next read, and never another practice’s answer', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const groups = async (token = t.clp.token) => (await t.request('GET', '/api/v1/groups', { token })).body.items;
    const sessions = async () =>
      (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-31`, { token: t.clp.token })).body.items;

    expect((await groups()).map((g: { name: string }) => g.name)).toEqual(['Tuesday Health Walk']);
    expect(await groups()).toEqual(await groups());
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { name: 'Knightswood Walk', facilitatorIds: [t.clp.id] } });
    expect(await groups()).toMatchObject([{ name: 'Knightswood Walk', facilitatorIds: [t.clp.id] }]);
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [] } });
    expect((await groups())[0].facilitatorIds).toEqual([]);
    // The same address in another practice is that practice's answer.
    expect(await groups(t.otherAdmin.token)).toEqual([]);

    const before = await sessions();
    expect(before.map((s: { status: string }) => s.status)).toEqual(['scheduled', 'scheduled', 'scheduled', 'scheduled', 'scheduled']);
    await t.request('PATCH', `/api/v1/sessions/${before[1].id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Flooded path' } });
    expect((await sessions())[1]).toMatchObject({ status: 'cancelled', cancelReason: 'Flooded path' });
    await t.request('PATCH', `/api/v1/sessions/${before[2].id}`, { token: t.clp.token, body: { startsAt: '2027-03-16T13:00:00' } });
    expect((await sessions())[2].startsAt).toBe('2027-03-16T13:00:00+00:00');
    // Across the clock change the practice's offset is used, cached or not.
    expect((await sessions())[4].startsAt).toBe('2027-03-30T10:00:00+01:00');

    // Without a range the list starts today: a new day is a new answer.
    const upcoming = async () => (await t.request('GET', `/api/v1/groups/${group.id}/sessions`, { token: t.clp.token })).body.items[0].startsAt;
    expect(await upcoming()).toBe('2027-03-02T10:00:00+00:00');
    t.clock.set('2027-03-03T09:00:00Z');
    expect(await upcoming()).toBe('2027-03-09T10:00:00+00:00');
  });

  it('answers from memory with exactly the headers of the answer built afresh, its own request id aside', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { group } = await seedGroup(t);
    const sessionsPath = `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-31`;
    const sessionId = (await t.request('GET', sessionsPath, { token: t.clp.token })).body.items[0].id;
    const registerPath = `/api/v1/sessions/${sessionId}/register`;
    await t.request('GET', registerPath, { token: t.clp.token });
    const headersOf = (h: Headers) => Object.fromEntries([...h].filter(([name]) => name !== 'x-request-id'));
    for (const path of [sessionsPath, '/api/v1/groups', registerPath]) {
      // A change in the practice's data: the next read is built afresh, the one after from memory.
      await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { name: `Walk ${path.length}` } });
      const fresh = await t.request('GET', path, { token: t.clp.token, headers: { 'x-request-id': 'first-read' } });
      const kept = await t.request('GET', path, { token: t.clp.token, headers: { 'x-request-id': 'second-read' } });
      expect(kept.body).toEqual(fresh.body);
      expect(headersOf(kept.headers)).toEqual(headersOf(fresh.headers));
      expect(headersOf(kept.headers)).toMatchObject({
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'content-type': 'application/json',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      expect([fresh.headers.get('x-request-id'), kept.headers.get('x-request-id')]).toEqual(['first-read', 'second-read']);
    }
  });
});
