import { describe, expect, it } from 'vitest';
import { threeOnTheWalk } from './helpers/register-setup.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

const setup = threeOnTheWalk;

describe('attendance registers', () => {
  it('lists the enrolled, saves many statuses at once, and records who and when', async () => {
    const t = await makeTestApp('2027-03-02T09:30:00Z');
    const { ids, sessions } = await setup(t);
    const url = `/api/v1/sessions/${sessions[0].id}/register`;
    const empty = await t.request('GET', url, { token: t.clp.token });
    expect(empty.body.entries.map((e: { givenName: string; status: null }) => [e.givenName, e.status])).toEqual([
      ['Amira', null],
      ['Brian', null],
      ['Chloe', null],
    ]);

    t.clock.set('2027-03-02T10:05:00Z');
    const body = {
      entries: [
        { participantId: ids[0], status: 'present' },
        { participantId: ids[1], status: 'late' },
        { participantId: ids[2], status: 'apologies' },
      ],
    };
    const saved = await t.request('PUT', url, { token: t.clp.token, body });
    expect(saved.status).toBe(200);
    expect(saved.body.entries.map((e: { status: string }) => e.status)).toEqual(['present', 'late', 'apologies']);
    expect(saved.body.entries[0]).toMatchObject({ recordedAt: '2027-03-02T10:05:00+00:00', recordedBy: { id: t.clp.id } });

    // the same save again (a retry on poor signal) changes nothing, not even the time
    t.clock.set('2027-03-02T10:20:00Z');
    const again = await t.request('PUT', url, { token: t.admin.token, body });
    expect(again.body.entries).toEqual(saved.body.entries);
    const rows = await t.db.selectFrom('attendance').selectAll().execute();
    expect(rows).toHaveLength(3);
  });

  it('adds a drop-in who is not enrolled, and an unnamed headcount', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { sessions } = await setup(t);
    const walkIn = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Dylan', smsConsent: false } });
    const res = await t.request('PUT', `/api/v1/sessions/${sessions[0].id}/register`, {
      token: t.clp.token,
      body: { entries: [{ participantId: walkIn.body.id, status: 'present' }], headcount: 4 },
    });
    expect(res.status).toBe(200);
    expect(res.body.headcount).toBe(4);
    expect(res.body.entries.find((e: { participantId: number }) => e.participantId === walkIn.body.id)).toMatchObject({ dropIn: true, status: 'present' });
  });

  it('refuses a cancelled session, one more than a day away, and bad entries — all or nothing', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { ids, sessions } = await setup(t);
    await t.request('PATCH', `/api/v1/sessions/${sessions[1].id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Snow' } });
    const ok = [{ participantId: ids[0], status: 'present' }];
    const cancelled = await t.request('PUT', `/api/v1/sessions/${sessions[1].id}/register`, { token: t.clp.token, body: { entries: ok } });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error.message).toMatch(/cancelled/);
    const future = await t.request('PUT', `/api/v1/sessions/${sessions[3].id}/register`, { token: t.clp.token, body: { entries: ok } });
    expect(future.status).toBe(422);
    expect(future.body.error.message).toMatch(/more than a day away/);

    const url = `/api/v1/sessions/${sessions[0].id}/register`;
    const wrongWord = await t.request('PUT', url, { token: t.clp.token, body: { entries: [{ participantId: ids[0], status: 'here' }] } });
    expect(wrongWord.status).toBe(400);
    expect(wrongWord.body.error.details[0].path).toBe('entries.0.status');
    const unknown = await t.request('PUT', url, {
      token: t.clp.token,
      body: {
        entries: [
          { participantId: ids[0], status: 'present' },
          { participantId: 4242, status: 'present' },
        ],
      },
    });
    expect(unknown.status).toBe(400);
    const dup = await t.request('PUT', url, {
      token: t.clp.token,
      body: {
        entries: [
          { participantId: ids[0], status: 'present' },
          { participantId: ids[0], status: 'absent' },
        ],
      },
    });
    expect(dup.status).toBe(400);
    expect((await t.request('PUT', url, { token: t.staff.token, body: { entries: ok } })).status).toBe(403);
    expect(await t.db.selectFrom('attendance').selectAll().execute()).toEqual([]);
  });

  it("another practice's session register is a 404, and their participants cannot be put on ours", async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { sessions } = await setup(t);
    const theirPerson = await t.request('POST', '/api/v1/participants', { token: t.otherAdmin.token, body: { givenName: 'Zed', smsConsent: false } });
    const theirs = await seedGroup(t, {}, t.otherAdmin.token);
    const [theirSession] = (await t.request('GET', `/api/v1/groups/${theirs.group.id}/sessions?from=2027-03-01&to=2027-03-10`, { token: t.otherAdmin.token }))
      .body.items;
    expect((await t.request('GET', `/api/v1/sessions/${theirSession.id}/register`, { token: t.clp.token })).status).toBe(404);
    const res = await t.request('PUT', `/api/v1/sessions/${sessions[0].id}/register`, {
      token: t.clp.token,
      body: { entries: [{ participantId: theirPerson.body.id, status: 'present' }] },
    });
    expect(res.status).toBe(400);
    expect(await t.db.selectFrom('attendance').selectAll().execute()).toEqual([]);
  });

  it('a register keeps its session when the schedule is edited later', async () => {
    const t = await makeTestApp('2027-03-01T10:00:00Z');
    const { group, ids, sessions } = await setup(t);
    // prepared the day before
    const put = await t.request('PUT', `/api/v1/sessions/${sessions[0].id}/register`, {
      token: t.clp.token,
      body: { entries: [{ participantId: ids[0], status: 'apologies' }] },
    });
    expect(put.status, put.text).toBe(200);
    await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.clp.token,
      body: { schedule: { frequency: 'weekly', weekdays: ['wed'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' } },
    });
    expect((await t.request('GET', `/api/v1/sessions/${sessions[0].id}/register`, { token: t.clp.token })).body.entries[0].status).toBe('apologies');
  });
});

describe('needs a check-in', () => {
  it('lists someone who missed two sessions in a row without apologies, for the group CLP', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { group, ids, sessions } = await setup(t);
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [t.clp.id] } });
    const take = async (i: number, statuses: string[]) => {
      t.clock.set(sessions[i].startsAt);
      await t.request('PUT', `/api/v1/sessions/${sessions[i].id}/register`, {
        token: t.clp.token,
        body: { entries: statuses.map((status, j) => ({ participantId: ids[j], status })) },
      });
    };
    await take(0, ['absent', 'absent', 'present']);
    await take(1, ['absent', 'apologies', 'present']);
    const res = await t.request('GET', '/api/v1/check-ins', { token: t.clp.token });
    expect(res.body.items.map((r: { givenName: string }) => r.givenName)).toEqual(['Amira']);
    expect(res.body.items[0]).toMatchObject({ groupId: group.id, participantId: ids[0], phone: '+447700900100' });
    // another CLP who facilitates a different group does not see this group's list
    const other = await t.addUser(t.practice.id, 'clp', 'clp2@possil.test');
    await seedGroup(t, { name: 'Book club', kind: 'book_club', facilitatorIds: [other.id] }, other.token);
    expect((await t.request('GET', '/api/v1/check-ins', { token: other.token })).body.items).toEqual([]);
    expect((await t.request('GET', '/api/v1/check-ins', { token: t.admin.token })).body.items).toHaveLength(1);
    // coming back clears it
    await take(2, ['present', 'absent', 'present']);
    expect((await t.request('GET', '/api/v1/check-ins', { token: t.clp.token })).body.items).toEqual([]);
  });
});
