import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

async function person(t: TestApp, n: number, token = t.clp.token) {
  const res = await t.request('POST', '/api/v1/participants', {
    token,
    body: { givenName: `Person${n}`, phone: `07700 900${String(n).padStart(3, '0')}`, smsConsent: true },
  });
  return res.body.id as number;
}

describe('enrolment and waitlists', () => {
  it('fills a group to capacity, then waitlists in order; withdrawal promotes the first waiting', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t, { capacity: 2 });
    const ids = [await person(t, 1), await person(t, 2), await person(t, 3), await person(t, 4)];
    const results = [];
    for (const id of ids) {
      const res = await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: id, referralSource: 'gp' } });
      expect(res.status).toBe(201);
      results.push(res.body);
    }
    expect(results.map((r) => [r.status, r.waitlistPosition])).toEqual([
      ['active', undefined],
      ['active', undefined],
      ['waitlisted', 1],
      ['waitlisted', 2],
    ]);

    const out = await t.request('DELETE', `/api/v1/groups/${group.id}/enrolments/${ids[0]}`, { token: t.clp.token });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ status: 'withdrawn', promotedParticipantIds: [ids[2]] });
    const list = await t.request('GET', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token });
    const statusOf = (id: number) => list.body.items.find((e: { participantId: number }) => e.participantId === id);
    expect(statusOf(ids[2]!)).toMatchObject({ status: 'active', promotedFromWaitlistAt: expect.any(String) });
    expect(statusOf(ids[3]!)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(statusOf(ids[0]!)).toMatchObject({ status: 'withdrawn' });
  });

  it('50 simultaneous enrolments into capacity 12: exactly 12 active and 38 waitlisted, positions 1..38 in order', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t, { capacity: 12 });
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) ids.push(await person(t, i));
    const responses = await Promise.all(
      ids.map((id) => t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: id } })),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);
    const active = responses.filter((r) => r.body.status === 'active');
    const waiting = responses.filter((r) => r.body.status === 'waitlisted');
    expect(active).toHaveLength(12);
    expect(waiting).toHaveLength(38);
    expect(waiting.map((r) => r.body.waitlistPosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 38 }, (_, i) => i + 1));
    const rows = await t.db
      .selectFrom('enrolments')
      .select(['status', 'waitlist_seq', 'id'])
      .where('status', '=', 'waitlisted')
      .orderBy('waitlist_seq')
      .execute();
    // the waitlist is in the order the requests were accepted
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => a - b));
  });

  it('re-enrolling a withdrawn participant works; enrolling twice is a 409', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const id = await person(t, 1);
    const url = `/api/v1/groups/${group.id}/enrolments`;
    expect((await t.request('POST', url, { token: t.clp.token, body: { participantId: id } })).status).toBe(201);
    const twice = await t.request('POST', url, { token: t.clp.token, body: { participantId: id } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('conflict');
    await t.request('DELETE', `${url}/${id}`, { token: t.clp.token });
    const again = await t.request('POST', url, { token: t.clp.token, body: { participantId: id, referralSource: 'self' } });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'active', referralSource: 'self', withdrawnAt: null });
  });

  it('raising capacity lets the waitlist in', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t, { capacity: 1 });
    const a = await person(t, 1);
    const b = await person(t, 2);
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: a } });
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: b } });
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { capacity: 2 } });
    const list = await t.request('GET', `/api/v1/groups/${group.id}/enrolments?status=active`, { token: t.clp.token });
    expect(list.body.items.map((e: { participantId: number }) => e.participantId).sort()).toEqual([a, b].sort());
  });

  it('refuses unknown participants, other practices and bad input with 4xx, writing nothing', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const theirGroup = (await seedGroup(t, {}, t.otherAdmin.token)).group;
    const theirPerson = await person(t, 9, t.otherAdmin.token);
    const mine = await person(t, 1);
    const url = `/api/v1/groups/${group.id}/enrolments`;
    expect((await t.request('POST', url, { token: t.clp.token, body: { participantId: 9999 } })).status).toBe(404);
    expect((await t.request('POST', url, { token: t.clp.token, body: { participantId: theirPerson } })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/groups/${theirGroup.id}/enrolments`, { token: t.clp.token, body: { participantId: mine } })).status).toBe(404);
    expect((await t.request('POST', url, { token: t.clp.token, body: { participantId: 'Amira' } })).status).toBe(400);
    expect((await t.request('POST', url, { token: t.clp.token, body: { participantId: mine, referralSource: 'facebook' } })).status).toBe(400);
    expect((await t.request('POST', url, { token: t.staff.token, body: { participantId: mine } })).status).toBe(403);
    expect((await t.request('DELETE', `${url}/${mine}`, { token: t.clp.token })).status).toBe(404);
    expect(await t.db.selectFrom('enrolments').selectAll().where('practice_id', '=', t.practice.id).execute()).toEqual([]);
  });
});
