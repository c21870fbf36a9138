import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { groupWithPeople } from './helpers/sms-setup.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

const list = async (t: TestApp, token = t.clp.token) => (await t.request('GET', '/api/v1/follow-ups', { token })).body.items as any[];
const mark = (t: TestApp, session: number, participantId: number, status: string) =>
  t.request('PUT', `/api/v1/sessions/${session}/register`, { token: t.clp.token, body: { entries: [{ participantId, status }] } });

describe('no one is lost between referral and coming', () => {
  it('someone whose first session passes without them is listed as missed_first, and leaves the list when marked present', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    expect(await list(t)).toEqual([]);
    // The first walk (Tue 2 March 10:00-11:00): Brian comes, Amira does not.
    t.clock.set('2027-03-02T10:30:00Z');
    await mark(t, sessions[0]!.id, ids[1]!, 'present');
    expect(await list(t)).toEqual([]); // still under way
    t.clock.set('2027-03-02T12:00:00Z');
    const [amira, ...rest] = await list(t);
    expect(rest).toEqual([]);
    expect(amira).toMatchObject({
      participantId: ids[0],
      givenName: 'Amira',
      reason: 'missed_first',
      since: '2027-03-02T10:00:00+00:00',
      groupName: 'Tuesday Health Walk',
    });
    expect(amira.lastAction).toBeUndefined();
    // The CLP phones her; the list says so.
    const phoned = await t.request('POST', '/api/v1/follow-ups', {
      token: t.clp.token,
      body: { participantId: ids[0], groupId: amira.groupId, action: 'phoned', note: 'Back next week' },
    });
    expect(phoned.status).toBe(201);
    expect(phoned.body).toMatchObject({ action: 'phoned', reason: 'missed_first', note: 'Back next week' });
    expect((await list(t))[0].lastAction).toMatchObject({ action: 'phoned', note: 'Back next week', by: { id: t.clp.id } });
    // She comes the next week: off the list by itself.
    t.clock.set('2027-03-09T10:30:00Z');
    await mark(t, sessions[1]!.id, ids[0]!, 'present');
    expect(await list(t)).toEqual([]);
  });

  it('never_came after 28 days and two sessions; stopped_coming; waiting 28 days; closing needs a note and holds until something new happens', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }, { givenName: 'Chloe' }], { capacity: 2 });
    // Chloe waits (capacity 2). Brian comes twice then stops; Amira never comes.
    for (const [i, s] of sessions.slice(0, 2).entries()) {
      t.clock.set(new Date(Date.parse(s.startsAt) + 30 * 60_000).toISOString());
      await mark(t, s.id, ids[1]!, 'present');
      expect(i).toBeGreaterThanOrEqual(0);
    }
    for (const s of sessions.slice(2, 4)) {
      t.clock.set(new Date(Date.parse(s.startsAt) + 30 * 60_000).toISOString());
      await mark(t, s.id, ids[1]!, 'absent');
    }
    t.clock.set('2027-03-30T12:00:00Z');
    const items = await list(t);
    expect(items.map((f) => [f.givenName, f.reason])).toEqual([
      ['Amira', 'never_came'],
      ['Chloe', 'waitlisted_long'],
      ['Brian', 'stopped_coming'],
    ]);
    const brian = items.find((f) => f.givenName === 'Brian');
    expect(brian.since).toBe('2027-03-23T10:00:00+00:00');
    // Closing needs a note; nothing is written without one.
    const bare = await t.request('POST', '/api/v1/follow-ups', { token: t.clp.token, body: { participantId: ids[0], groupId: group.id, action: 'closed' } });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details[0].path).toBe('note');
    expect(await t.db.selectFrom('follow_up_actions').selectAll().execute()).toEqual([]);
    const closed = await t.request('POST', '/api/v1/follow-ups', {
      token: t.clp.token,
      body: { participantId: ids[1], groupId: group.id, action: 'closed', note: 'Moved to Paisley' },
    });
    expect(closed.status).toBe(201);
    expect((await list(t)).map((f) => f.givenName)).toEqual(['Amira', 'Chloe']);
    // Something new: he misses another registered session (the week after next). He is back on the list.
    const next = sessions[5]!;
    t.clock.set(new Date(Date.parse(next.startsAt) + 30 * 60_000).toISOString());
    await mark(t, next.id, ids[0]!, 'absent');
    t.clock.set('2027-04-06T12:00:00Z');
    expect((await list(t)).map((f) => f.givenName)).toContain('Brian');
    // Audited, with the person.
    const trail = (await t.request('GET', `/api/v1/audit-events?participantId=${ids[1]}`, { token: t.admin.token })).body.items;
    expect(trail.some((e: { entity: string; action: string }) => e.entity === 'follow_up' && e.action === 'update')).toBe(true);
  });

  it('staff cannot see it; another practice cannot record against ours; the page lists, records and asks for a note to close', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    t.clock.set('2027-03-02T12:00:00Z');
    expect((await t.request('GET', '/api/v1/follow-ups', { token: t.staff.token })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/follow-ups', { token: t.otherAdmin.token })).body.items).toEqual([]);
    const foreign = await t.request('POST', '/api/v1/follow-ups', {
      token: t.otherAdmin.token,
      body: { participantId: ids[0], groupId: group.id, action: 'phoned' },
    });
    expect(foreign.status).toBe(404);
    const clp = await pagesAs(t, t.clp.token);
    expect((await clp.get('/today')).html).toContain('Follow-ups: 1 person needs a word');
    const page = await clp.get('/follow-ups');
    expect(page.html).toContain('Missed their first session');
    const refused = await clp.post('/follow-ups', { participantId: String(ids[0]), groupId: String(group.id), action: 'closed', note: '' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('<title>Error: Follow-ups');
    expect(refused.html).toContain(`href="#note-${ids[0]}"`);
    const saved = await clp.post('/follow-ups', { participantId: String(ids[0]), groupId: String(group.id), action: 'texted', note: '' });
    expect(saved.status).toBe(303);
    expect((await clp.get('/follow-ups')).html).toMatch(/Last: texted/);
  });

  it('one card a person with their groups listed, a number to tap, who takes it on, when to call again; closing offers to give up the place', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, ids } = await groupWithPeople(t, [{ givenName: 'Amira', phone: '07700 900123' }]);
    const { group: second } = await seedGroup(t, { name: 'Chair yoga' });
    await t.request('POST', `/api/v1/groups/${second.id}/enrolments`, { token: t.clp.token, body: { participantId: ids[0] } });
    t.clock.set('2027-03-02T12:00:00Z');
    const api = (await t.request('GET', '/api/v1/follow-ups', { token: t.clp.token })).body.items;
    expect(api.map((f: { groupId: number }) => f.groupId).sort()).toEqual([group.id, second.id].sort());
    expect(api[0]).toMatchObject({ phone: '+447700900123', takenOnBy: null, callAgainOn: null });
    const clp = await pagesAs(t, t.clp.token);
    const page = await clp.get('/follow-ups');
    // One card, both groups, a tel: link.
    expect(page.html.match(/<strong>Amira<\/strong>/g)).toHaveLength(1);
    expect(page.html).toContain('href="tel:+447700900123"');
    expect(page.html).toMatch(/Chair yoga: Missed their first session/);
    const past = await clp.post('/follow-ups', {
      participantId: String(ids[0]),
      groupId: [String(group.id), String(second.id)],
      [`callAgainOn-${ids[0]}-day`]: '1',
      [`callAgainOn-${ids[0]}-month`]: '3',
      [`callAgainOn-${ids[0]}-year`]: '2027',
    });
    expect(past.status).toBe(400);
    expect(past.html).toContain(`href="#callAgainOn-${ids[0]}"`);
    const later = await clp.post('/follow-ups', {
      participantId: String(ids[0]),
      groupId: [String(group.id), String(second.id)],
      action: 'phoned',
      note: 'No answer',
      takeOn: 'yes',
      [`callAgainOn-${ids[0]}-day`]: '5',
      [`callAgainOn-${ids[0]}-month`]: '3',
      [`callAgainOn-${ids[0]}-year`]: '2027',
    });
    expect(later.status).toBe(303);
    const after = (await t.request('GET', '/api/v1/follow-ups', { token: t.clp.token })).body.items;
    expect(after.every((f: { takenOnBy: { name: string }; callAgainOn: string }) => f.callAgainOn === '2027-03-05' && f.takenOnBy.name === 'clp clp')).toBe(
      true,
    );
    expect(after.every((f: { lastAction: { action: string } }) => f.lastAction.action === 'phoned')).toBe(true);
    const listed = (await clp.get('/follow-ups')).html;
    expect(listed).toMatch(/To call again later[\s\S]*Amira/);
    expect(listed).toContain('Taken on by you. Call again on Fri 5 Mar 2027.');
    // Another CLP sees who has it.
    expect((await (await pagesAs(t, t.admin.token)).get('/follow-ups')).html).toContain('Taken on by clp clp.');
    // Closing offers to withdraw them from each group, through the group's own confirmation.
    const closed = await clp.post('/follow-ups', {
      participantId: String(ids[0]),
      groupId: [String(group.id), String(second.id)],
      action: 'closed',
      note: 'Moved away',
    });
    expect(closed.status).toBe(200);
    expect(closed.html).toContain(`action="/groups/${group.id}/withdraw/${ids[0]}"`);
    expect(closed.html).toContain(`action="/groups/${second.id}/withdraw/${ids[0]}"`);
    const confirm = await clp.post(`/groups/${group.id}/withdraw/${ids[0]}`, {});
    expect(confirm.html).toContain('Withdraw Amira');
    expect((await t.request('GET', '/api/v1/follow-ups', { token: t.clp.token })).body.items).toEqual([]);
  });
});
