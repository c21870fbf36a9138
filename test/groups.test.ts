import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

const utc = (iso: string) => new Date(iso).toISOString();

describe('groups and their schedules', () => {
  it('creating a weekly group materialises at least 12 weeks of sessions at 10:00 local time', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00+00:00');
    const { group } = await seedGroup(t);
    expect(group).toMatchObject({ name: 'Tuesday Health Walk', kind: 'health_walk', capacity: 12, status: 'active', reminderOffsetsMinutes: [1440, 120] });
    expect(group.schedule).toEqual({ frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' });
    const res = await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-06-01`, { token: t.staff.token });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBe(14);
    expect(res.body.items[0]).toMatchObject({
      groupId: group.id,
      startsAt: '2027-03-02T10:00:00+00:00',
      endsAt: '2027-03-02T11:00:00+00:00',
      status: 'scheduled',
    });
    // after the March clock change the offset shows +01:00 and the wall time is still 10:00
    const april = res.body.items.find((s: { startsAt: string }) => s.startsAt.startsWith('2027-04-06'));
    expect(april.startsAt).toBe('2027-04-06T10:00:00+01:00');
    expect(utc(april.startsAt)).toBe('2027-04-06T09:00:00.000Z');
  });

  it('the rolling horizon is topped up as time passes, across the October clock change', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00+00:00');
    const { group } = await seedGroup(t);
    const { topUpSessions } = await import('../src/sessions/session-sync.js');
    t.clock.set('2027-10-20T09:00:00+00:00');
    await topUpSessions(t.db, t.clock.now().getTime(), 366);
    const res = await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-10-26&to=2028-05-31`, { token: t.clp.token });
    const starts = res.body.items.map((s: { startsAt: string }) => s.startsAt);
    expect(starts[0]).toBe('2027-10-26T10:00:00+01:00');
    expect(starts[1]).toBe('2027-11-02T10:00:00+00:00');
    expect(starts.at(-1)).toBe('2028-05-30T10:00:00+01:00');
    expect(starts.every((s: string) => s.includes('T10:00:00'))).toBe(true);
  });

  it('editing the schedule moves untouched future sessions but leaves cancelled or moved ones and the past alone', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00+00:00');
    const { group } = await seedGroup(t);
    const list = async (from: string, to: string) =>
      (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=${from}&to=${to}`, { token: t.clp.token })).body.items;
    const [first, second, third] = await list('2027-03-01', '2027-03-20');
    expect(
      (await t.request('PATCH', `/api/v1/sessions/${second.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Storm warning' } })).status,
    ).toBe(200);
    expect((await t.request('PATCH', `/api/v1/sessions/${third.id}`, { token: t.clp.token, body: { startsAt: '2027-03-17T14:00:00+00:00' } })).status).toBe(
      200,
    );

    t.clock.set('2027-03-03T12:00:00+00:00'); // the first walk has happened
    const edit = await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.clp.token,
      body: { schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '13:30', durationMinutes: 90, startDate: '2027-03-02' } },
    });
    expect(edit.status).toBe(200);
    const after = await list('2027-03-01', '2027-03-31');
    const byId = new Map(after.map((s: { id: number }) => [s.id, s]));
    expect(byId.get(first.id)).toMatchObject({ startsAt: '2027-03-02T10:00:00+00:00' });
    expect(byId.get(second.id)).toMatchObject({ status: 'cancelled', cancelReason: 'Storm warning', startsAt: '2027-03-09T10:00:00+00:00' });
    expect(byId.get(third.id)).toMatchObject({ startsAt: '2027-03-17T14:00:00+00:00' });
    const untouched = after.find((s: { startsAt: string }) => s.startsAt.startsWith('2027-03-23'));
    expect(untouched).toMatchObject({ startsAt: '2027-03-23T13:30:00+00:00', endsAt: '2027-03-23T15:00:00+00:00', sequence: 1 });
  });

  it('moving a group to Thursdays replaces future Tuesdays; pausing removes future sessions', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00+00:00');
    const { group } = await seedGroup(t);
    await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.clp.token,
      body: { schedule: { frequency: 'fortnightly', weekdays: ['thursday'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-04' } },
    });
    const items = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-31`, { token: t.clp.token })).body.items;
    expect(items.map((s: { startsAt: string }) => s.startsAt.slice(0, 10))).toEqual(['2027-03-04', '2027-03-18']);
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { status: 'paused' } });
    expect((await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-12-31`, { token: t.clp.token })).body.items).toEqual([]);
  });

  it('monthly groups with a count make exactly that many sessions', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00+00:00');
    const { group } = await seedGroup(t, {
      name: 'Book club',
      kind: 'book_club',
      capacity: null,
      schedule: { frequency: 'monthly', weekdays: ['wed'], weekOfMonth: -1, startTime: '18:00', durationMinutes: 90, startDate: '2027-03-01', count: 6 },
    });
    const items = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2028-12-31`, { token: t.clp.token })).body.items;
    expect(items.map((s: { startsAt: string }) => s.startsAt.slice(0, 10))).toEqual([
      '2027-03-31',
      '2027-04-28',
      '2027-05-26',
      '2027-06-30',
      '2027-07-28',
      '2027-08-25',
    ]);
    expect(group.capacity).toBeNull();
  });

  it('refuses impossible schedules and bad references with 4xx, writing nothing', async () => {
    const t = await makeTestApp();
    const venue = await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: 'Hall' } });
    const theirVenue = await t.request('POST', '/api/v1/venues', { token: t.otherAdmin.token, body: { name: 'Their hall' } });
    const schedule = { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' };
    const good = { name: 'Chair yoga', kind: 'chair_yoga', venueId: venue.body.id, capacity: 10, schedule };
    const cases: [Record<string, unknown>, number, string?][] = [
      [{ ...good, schedule: { ...schedule, durationMinutes: 0 } }, 400, 'schedule.durationMinutes'],
      [{ ...good, schedule: { ...schedule, until: '2027-03-01' } }, 400, 'schedule.until'],
      [{ ...good, schedule: { ...schedule, until: '2027-03-05', weekdays: ['mon'] } }, 400, 'schedule.until'],
      [{ ...good, schedule: { ...schedule, startTime: '25:00' } }, 400, 'schedule.startTime'],
      [{ ...good, schedule: { ...schedule, startDate: '2027-02-30' } }, 400, 'schedule.startDate'],
      [{ ...good, schedule: { ...schedule, weekdays: [] } }, 400, 'schedule.weekdays'],
      [{ ...good, schedule: { ...schedule, weekdays: ['someday'] } }, 400, 'schedule.weekdays.0'],
      [{ ...good, schedule: { ...schedule, frequency: 'monthly' } }, 400, 'schedule.weekOfMonth'],
      [{ ...good, schedule: { ...schedule, count: 3, until: '2027-06-01' } }, 400, 'schedule.count'],
      [{ ...good, capacity: 0 }, 400, 'capacity'],
      [{ ...good, capacity: '12' }, 400, 'capacity'],
      [{ ...good, kind: 'knitting' }, 400, 'kind'],
      [{ ...good, venueId: 9999 }, 404],
      [{ ...good, venueId: theirVenue.body.id }, 404],
      [{ ...good, facilitatorIds: [t.staff.id] }, 400],
      [{ ...good, facilitatorIds: [t.otherAdmin.id] }, 400],
    ];
    for (const [body, status, path] of cases) {
      const res = await t.request('POST', '/api/v1/groups', { token: t.clp.token, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await t.db.selectFrom('community_groups').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('a failed edit leaves the group and its sessions as they were', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const before = await t.db.selectFrom('sessions').selectAll().orderBy('id').execute();
    const res = await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.clp.token,
      body: { venueId: 424242, schedule: { frequency: 'weekly', weekdays: ['fri'], startTime: '09:00', durationMinutes: 30, startDate: '2027-03-02' } },
    });
    expect(res.status).toBe(404);
    expect(await t.db.selectFrom('sessions').selectAll().orderBy('id').execute()).toEqual(before);
    expect((await t.request('GET', `/api/v1/groups/${group.id}`, { token: t.clp.token })).body.schedule.weekdays).toEqual(['tue']);
  });

  it("keeps practices apart: another practice's group cannot be read, edited or listed", async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t, {}, t.otherAdmin.token);
    expect((await t.request('GET', `/api/v1/groups/${group.id}`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.admin.token, body: { name: 'Hijacked' } })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/groups/${group.id}/sessions`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/groups', { token: t.admin.token })).body.items).toEqual([]);
    expect((await t.request('GET', '/api/v1/sessions?from=2027-03-01&to=2027-04-01', { token: t.admin.token })).body.items).toEqual([]);
  });

  it('staff can see groups but not create or change them', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    expect((await t.request('GET', '/api/v1/groups', { token: t.staff.token })).body.items).toHaveLength(1);
    expect((await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.staff.token, body: { name: 'x' } })).status).toBe(403);
  });

  it('records facilitators and a discreet SMS label', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t, { name: 'Promising Links', kind: 'peer_support', smsLabel: 'your Thursday group', facilitatorIds: [t.clp.id] });
    expect(group).toMatchObject({ smsLabel: 'your Thursday group', facilitatorIds: [t.clp.id] });
  });
});
