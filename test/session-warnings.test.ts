import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

describe('warnings before a session, in the API as on the pages', () => {
  it("the register's answer carries the session's warnings, and a check recorded since changes its ETag though no mark changed", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const wanda = await t.addUser(t.practice.id, 'leader', 'wanda@walks.test');
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [wanda.id] } });
    const session = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, { token: t.clp.token })).body.items[0].id;
    const first = await t.request('GET', `/api/v1/sessions/${session}/register`, { token: wanda.token });
    expect(first.body.warnings).toEqual([{ kind: 'pvg', message: 'leader wanda has no current PVG record: check it before they lead' }]);
    const etag = first.headers.get('etag')!;
    // Unchanged: the phone's copy stands.
    expect((await t.request('GET', `/api/v1/sessions/${session}/register`, { token: wanda.token, headers: { 'if-none-match': etag } })).status).toBe(304);
    await t.request('POST', `/api/v1/users/${wanda.id}/credentials`, { token: t.clp.token, body: { kind: 'pvg', validFrom: '2026-01-01' } });
    const after = await t.request('GET', `/api/v1/sessions/${session}/register`, { token: wanda.token, headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.body.warnings).toEqual([]);
    t.clock.set('2027-03-02T10:30:00Z');
    const saved = await t.request('PUT', `/api/v1/sessions/${session}/register`, { token: wanda.token, body: { entries: [], headcount: 2 } });
    expect(saved.body).toMatchObject({ warnings: [] });
  });

  it("a volunteer leader with no current PVG record is a pvg warning on the session; recording one clears it; a leader reads their own checks and no one else's", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const wanda = await t.addUser(t.practice.id, 'leader', 'wanda@walks.test');
    const sam = await t.addUser(t.practice.id, 'leader', 'sam@walks.test');
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [wanda.id, sam.id] } });
    const session = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, { token: t.clp.token })).body.items[0].id;
    // Sam's PVG ran out the week before.
    await t.request('POST', `/api/v1/users/${sam.id}/credentials`, {
      token: t.clp.token,
      body: { kind: 'pvg', validFrom: '2020-01-01', expiresOn: '2027-02-25' },
    });
    const before = await t.request('GET', `/api/v1/sessions/${session}`, { token: t.clp.token });
    expect(before.body.warnings.filter((w: any) => w.kind === 'pvg').map((w: any) => w.message)).toEqual([
      'leader wanda has no current PVG record: check it before they lead',
      'leader sam has no current PVG record: check it before they lead',
    ]);
    await t.request('POST', `/api/v1/users/${wanda.id}/credentials`, { token: t.clp.token, body: { kind: 'pvg', validFrom: '2026-01-01' } });
    await t.request('POST', `/api/v1/users/${sam.id}/credentials`, {
      token: t.clp.token,
      body: { kind: 'pvg', validFrom: '2027-02-26', expiresOn: '2030-02-26' },
    });
    expect((await t.request('GET', `/api/v1/sessions/${session}`, { token: wanda.token })).body.warnings).toEqual([]);
    // A leader's own checks, and only theirs.
    const mine = await t.request('GET', `/api/v1/users/${wanda.id}/credentials`, { token: wanda.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toMatchObject([{ kind: 'pvg', validFrom: '2026-01-01' }]);
    expect((await t.request('GET', `/api/v1/users/${sam.id}/credentials`, { token: wanda.token })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/users/${wanda.id}/credentials`, { token: t.staff.token })).status).toBe(403);
    const today = await (await pagesAs(t, wanda.token)).get('/today');
    expect(today.html).toContain('Your checks');
    expect(today.html).toContain('PVG membership: no end date');
  });

  it('the ratio counts people likely to come: not someone given a place months ago who has not come to any of the last four sessions', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t, { participantsPerLeader: 1 });
    const wanda = await t.addUser(t.practice.id, 'leader', 'wanda@walks.test');
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [wanda.id] } });
    await t.request('POST', `/api/v1/users/${wanda.id}/credentials`, { token: t.clp.token, body: { kind: 'pvg', validFrom: '2026-01-01' } });
    const ids: number[] = [];
    for (const givenName of ['Amira', 'Brian']) {
      const p = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName, smsConsent: false } });
      await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id } });
      ids.push(p.body.id);
    }
    const sessions = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-06-30`, { token: t.clp.token })).body.items;
    // Amira comes every week; Brian never does.
    for (const s of sessions.slice(0, 6)) {
      t.clock.set(new Date(Date.parse(s.startsAt) + 30 * 60_000).toISOString());
      await t.request('PUT', `/api/v1/sessions/${s.id}/register`, {
        token: t.clp.token,
        body: {
          entries: [
            { participantId: ids[0], status: 'present' },
            { participantId: ids[1], status: 'absent' },
          ],
        },
      });
    }
    // Both newly placed: both expected at the first walk, two people for one leader.
    t.clock.set('2027-03-01T09:00:00Z');
    const first = await t.request('GET', `/api/v1/sessions/${sessions[0].id}`, { token: t.clp.token });
    expect(first.body.warnings.map((w: any) => w.kind)).toEqual(['ratio']);
    // Six weeks on, Brian has missed the last four: Amira alone is expected, within the ratio.
    const later = await t.request('GET', `/api/v1/sessions/${sessions[6].id}`, { token: t.clp.token });
    expect(later.body.warnings).toEqual([]);
  });
});
