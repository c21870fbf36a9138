import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

async function sessionsOf(t: TestApp, groupId: number, from = '2027-03-01', to = '2027-04-30') {
  return (await t.request('GET', `/api/v1/groups/${groupId}/sessions?from=${from}&to=${to}`, { token: t.clp.token })).body.items;
}

describe('sessions', () => {
  it('a CLP cancels a walk for rain with a reason; the calendar sequence goes up; a retry changes nothing', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const [s] = await sessionsOf(t, group.id);
    const res = await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Heavy rain' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: s.id, status: 'cancelled', cancelReason: 'Heavy rain', sequence: 1 });
    const again = await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Heavy rain' } });
    expect(again.body.sequence).toBe(1);
    const restored = await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.clp.token, body: { status: 'scheduled' } });
    expect(restored.body).toMatchObject({ status: 'scheduled', sequence: 2 });
    expect(restored.body.cancelReason).toBeUndefined();
  });

  it('moves a session in time and place, keeping its length unless told', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const hall = await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: 'Church hall' } });
    const [s] = await sessionsOf(t, group.id);
    const moved = await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.clp.token, body: { startsAt: '2027-03-03T14:00', venueId: hall.body.id } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: '2027-03-03T14:00:00+00:00', endsAt: '2027-03-03T15:00:00+00:00', venueId: hall.body.id, edited: true });
    const longer = await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.clp.token, body: { endsAt: '2027-03-03T16:30:00+00:00' } });
    expect(longer.body.endsAt).toBe('2027-03-03T16:30:00+00:00');
  });

  it('a one-off session can be added to a group and lists with the rest', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const res = await t.request('POST', `/api/v1/groups/${group.id}/sessions`, { token: t.clp.token, body: { startsAt: '2027-04-10T11:00:00+01:00' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      groupId: group.id,
      startsAt: '2027-04-10T11:00:00+01:00',
      endsAt: '2027-04-10T12:00:00+01:00',
      oneOff: true,
      status: 'scheduled',
    });
    const april = await sessionsOf(t, group.id, '2027-04-10', '2027-04-10');
    expect(april.map((s: { id: number }) => s.id)).toEqual([res.body.id]);
  });

  it('refuses bad changes with clear 4xx and changes nothing', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const [s] = await sessionsOf(t, group.id);
    const before = await t.db.selectFrom('sessions').selectAll().orderBy('id').execute();
    const bad: [unknown, number][] = [
      [{ status: 'cancelled' }, 400],
      [{ status: 'postponed', reason: 'x' }, 400],
      [{}, 400],
      [{ startsAt: 'next tuesday' }, 400],
      [{ startsAt: '2027-03-03T14:00:00Z', endsAt: '2027-03-03T13:00:00Z' }, 400],
      [{ startsAt: '2027-03-03T14:00:00Z', status: 'cancelled', reason: 'x' }, 400],
      [{ startsAt: '2027-02-01T10:00:00Z' }, 422],
      [{ venueId: 999 }, 404],
    ];
    for (const [body, status] of bad) {
      const res = await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.clp.token, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBeTruthy();
    }
    expect((await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.staff.token, body: { status: 'cancelled', reason: 'x' } })).status).toBe(403);
    expect((await t.request('PATCH', '/api/v1/sessions/987654', { token: t.clp.token, body: { status: 'cancelled', reason: 'x' } })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-04-01&to=2027-03-01`, { token: t.clp.token })).status).toBe(400);
    expect((await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=March`, { token: t.clp.token })).status).toBe(400);
    expect(await t.db.selectFrom('sessions').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('a session that has taken place cannot be cancelled or moved', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const [s] = await sessionsOf(t, group.id);
    t.clock.set('2027-03-02T12:00:00Z');
    const res = await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'oops' } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/already taken place/);
  });

  it("another practice's sessions are invisible and unchangeable", async () => {
    const t = await makeTestApp();
    const { group, venueId } = await seedGroup(t, {}, t.otherAdmin.token);
    const [s] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-31`, { token: t.otherAdmin.token })).body.items;
    expect((await t.request('GET', `/api/v1/sessions/${s.id}`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/sessions/${s.id}`, { token: t.admin.token, body: { status: 'cancelled', reason: 'x' } })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/groups/${group.id}/sessions`, { token: t.admin.token, body: { startsAt: '2027-04-10T11:00:00Z' } })).status).toBe(
      404,
    );
    // nor can our own session be moved to their venue
    const mine = await seedGroup(t);
    const [ours] = await sessionsOf(t, mine.group.id);
    expect((await t.request('PATCH', `/api/v1/sessions/${ours.id}`, { token: t.clp.token, body: { venueId } })).status).toBe(404);
    const theirs = await t.request('GET', `/api/v1/sessions/${s.id}`, { token: t.otherAdmin.token });
    expect(theirs.body.status).toBe('scheduled');
  });
});

describe('practice closures', () => {
  it('a closure date cancels every session on it, and lifting it brings them all back, one-offs too', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const oneOff = await t.request('POST', `/api/v1/groups/${group.id}/sessions`, { token: t.clp.token, body: { startsAt: '2027-03-16T15:00:00Z' } });
    const closure = await t.request('POST', '/api/v1/closures', { token: t.admin.token, body: { date: '2027-03-16', reason: 'Staff training' } });
    expect(closure.status).toBe(201);
    const onDay = await sessionsOf(t, group.id, '2027-03-16', '2027-03-16');
    expect(onDay).toHaveLength(2);
    expect(onDay.every((s: { status: string; cancelReason: string }) => s.status === 'cancelled' && s.cancelReason === 'Practice closed: Staff training')).toBe(
      true,
    );
    expect((await sessionsOf(t, group.id, '2027-03-09', '2027-03-09'))[0].status).toBe('scheduled');

    expect((await t.request('POST', '/api/v1/closures', { token: t.admin.token, body: { date: '2027-03-16' } })).status).toBe(409);
    expect((await t.request('POST', '/api/v1/closures', { token: t.clp.token, body: { date: '2027-03-23' } })).status).toBe(403);

    expect((await t.request('DELETE', `/api/v1/closures/${closure.body.id}`, { token: t.admin.token })).status).toBe(204);
    const after = await sessionsOf(t, group.id, '2027-03-16', '2027-03-16');
    const scheduled = after.find((s: { oneOff: boolean }) => !s.oneOff);
    expect(scheduled).toMatchObject({ status: 'scheduled', sequence: 2 });
    expect(after.find((s: { id: number }) => s.id === oneOff.body.id)).toMatchObject({ status: 'scheduled', sequence: 2 });
  });

  it('new groups skip closure dates from the start', async () => {
    const t = await makeTestApp();
    await t.request('POST', '/api/v1/closures', { token: t.admin.token, body: { date: '2027-12-28', reason: 'Christmas' } });
    const { group } = await seedGroup(t);
    const [s] = await sessionsOf(t, group.id, '2027-12-28', '2027-12-28');
    expect(s).toMatchObject({ status: 'cancelled', cancelReason: 'Practice closed: Christmas' });
  });

  it('a one-off or a move to 01:30 on the March change night (a time that never happens) is refused in words, and nothing is stored', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const before = await sessionsOf(t, group.id, '2027-03-01', '2027-04-30');
    const oneOff = await t.request('POST', `/api/v1/groups/${group.id}/sessions`, { token: t.clp.token, body: { startsAt: '2027-03-28T01:30' } });
    expect(oneOff.status).toBe(400);
    expect(oneOff.body.error.message).toBe(
      '01:30 on Sunday 28 March 2027 does not exist here: the clocks go forward from 01:00 to 02:00. Choose a time before 01:00 or from 02:00',
    );
    expect(oneOff.body.error.details).toEqual([{ path: 'startsAt', message: oneOff.body.error.message }]);
    const move = await t.request('PATCH', `/api/v1/sessions/${before[0].id}`, { token: t.clp.token, body: { startsAt: '2027-03-28T01:45:00' } });
    expect(move.status).toBe(400);
    expect(await sessionsOf(t, group.id, '2027-03-01', '2027-04-30')).toEqual(before);
    // The same moment written with its offset is an instant, and is kept; so is the hour after the gap.
    expect((await t.request('POST', `/api/v1/groups/${group.id}/sessions`, { token: t.clp.token, body: { startsAt: '2027-03-28T02:00' } })).body.startsAt).toBe(
      '2027-03-28T02:00:00+01:00',
    );
    // On a page the time field says so, with what was typed kept.
    const clp = await pagesAs(t, t.clp.token);
    const page = await clp.post(`/sessions/${before[0].id}/move`, { date: '2027-03-28', time: '01:30', notify: 'yes' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('does not exist here: the clocks go forward from 01:00 to 02:00');
  });
});
