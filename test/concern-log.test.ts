import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

/** A walk led by a volunteer, Amira on it, and a concern the leader raised about her at the first walk. */
async function raised(t: TestApp) {
  const { group } = await seedGroup(t);
  const leader = await t.addUser(t.practice.id, 'leader', 'wanda@walks.test');
  await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [leader.id] } });
  const amira = await t.request('POST', '/api/v1/participants', {
    token: t.clp.token,
    body: {
      givenName: 'Amira',
      familyName: 'Khalil',
      phone: '07700 900101',
      smsConsent: true,
      chiNumber: '0101901232',
      emergencyContact: 'Sister, 07700 900555',
    },
  });
  await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: amira.body.id } });
  const session = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, { token: t.clp.token })).body.items[0].id;
  t.clock.set('2027-03-02T10:30:00Z');
  const concern = await t.request('POST', '/api/v1/concerns', {
    token: leader.token,
    body: {
      participantId: amira.body.id,
      sessionId: session,
      kind: 'safeguarding',
      urgency: 'today',
      text: 'Bruises on her arm; said her partner checks her phone',
    },
  });
  expect(concern.status).toBe(201);
  return { leader, amira: amira.body.id as number, id: concern.body.id as number };
}

const act = (t: TestApp, id: number, body: Record<string, unknown>, token = t.clp.token) => t.request('PATCH', `/api/v1/concerns/${id}`, { token, body });

describe('a concern keeps its whole record', () => {
  it('notes are appended with who and when, the first acknowledgement stays, and a closed concern is reopened with a note', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { id } = await raised(t);
    t.clock.set('2027-03-02T11:00:00Z');
    await act(t, id, { status: 'acknowledged', note: 'Called her; safe for now' });
    t.clock.set('2027-03-02T12:00:00Z');
    const second = await act(t, id, { note: 'Spoke to the practice safeguarding lead' }, t.admin.token);
    expect(second.status).toBe(200);
    t.clock.set('2027-03-02T13:00:00Z');
    const again = await act(t, id, { status: 'acknowledged', note: 'Took it over from the CLP' }, t.admin.token);
    expect(again.body).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2027-03-02T11:00:00+00:00', acknowledgedBy: { id: t.clp.id } });
    t.clock.set('2027-03-03T09:00:00Z');
    await act(t, id, { status: 'closed', note: 'Referred to adult protection, ref AP-1234' });
    expect((await act(t, id, { status: 'open' })).status).toBe(400);
    expect((await act(t, id, {})).status).toBe(400);
    t.clock.set('2027-03-09T10:45:00Z');
    const reopened = await act(t, id, { status: 'open', note: 'New bruises seen at the walk' });
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null, acknowledgedAt: '2027-03-02T11:00:00+00:00' });
    expect((await act(t, id, { status: 'open', note: 'again' })).status).toBe(409);
    const r = await t.request('GET', `/api/v1/concerns/${id}`, { token: t.clp.token });
    expect(r.body.actions.map((a: any) => [a.at, a.by.id, a.status ?? null, a.note])).toEqual([
      ['2027-03-02T11:00:00+00:00', t.clp.id, 'acknowledged', 'Called her; safe for now'],
      ['2027-03-02T12:00:00+00:00', t.admin.id, null, 'Spoke to the practice safeguarding lead'],
      ['2027-03-02T13:00:00+00:00', t.admin.id, null, 'Took it over from the CLP'],
      ['2027-03-03T09:00:00+00:00', t.clp.id, 'closed', 'Referred to adult protection, ref AP-1234'],
      ['2027-03-09T10:45:00+00:00', t.clp.id, 'open', 'New bruises seen at the walk'],
    ]);
    // The safeguarding lead sees who read it.
    expect(r.body.readBy.map((x: any) => [x.by.id, x.action])).toEqual(
      expect.arrayContaining([
        [t.clp.id, 'update'],
        [t.clp.id, 'read'],
      ]),
    );
  });

  it('the leader who raised it sees that it was closed and by whom, not the note', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { id, leader } = await raised(t);
    await act(t, id, { status: 'closed', note: 'Referred to adult protection, ref AP-1234' });
    const seen = await t.request('GET', `/api/v1/concerns/${id}`, { token: leader.token });
    expect(seen.body).toMatchObject({ status: 'closed', closedBy: { id: t.clp.id }, note: null, actions: [], readBy: [] });
    expect(JSON.stringify(seen.body)).not.toContain('AP-1234');
    const list = await t.request('GET', '/api/v1/concerns', { token: leader.token });
    expect(JSON.stringify(list.body)).not.toContain('AP-1234');
    expect((await t.request('GET', `/api/v1/concerns/${id}/export`, { token: leader.token })).status).toBe(403);
  });

  it("an export for an adult-protection referral: the person and their contacts, the concern, every action, who read it; and the person's own export has it", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { id, amira } = await raised(t);
    await act(t, id, { status: 'acknowledged', note: 'Called her' });
    const e = await t.request('GET', `/api/v1/concerns/${id}/export`, { token: t.clp.token });
    expect(e.status).toBe(200);
    expect(e.body.person).toMatchObject({
      givenName: 'Amira',
      familyName: 'Khalil',
      phone: '+447700900101',
      chiNumber: '0101901232',
      emergencyContact: 'Sister, 07700 900555',
    });
    expect(e.body.concern).toMatchObject({ kind: 'safeguarding', text: 'Bruises on her arm; said her partner checks her phone' });
    expect(e.body.concern.actions).toHaveLength(1);
    expect(e.body.readBy.map((r: any) => r.action)).toEqual(expect.arrayContaining(['update', 'read', 'export']));
    const page = await (await pagesAs(t, t.clp.token)).get(`/concerns/${id}/export`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sister, 07700 900555');
    expect(page.html).toContain('Called her');
    const own = await t.request('GET', `/api/v1/participants/${amira}/export`, { token: t.clp.token });
    expect(own.body.concerns).toMatchObject([{ id, text: 'Bruises on her arm; said her partner checks her phone' }]);
  });

  it('on the pages: a note is added, and a closed concern is reopened only with a reason', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { id } = await raised(t);
    const clp = await pagesAs(t, t.clp.token);
    expect((await clp.post(`/concerns/${id}/note`, { note: '' })).status).toBe(400);
    expect((await clp.post(`/concerns/${id}/note`, { note: 'Left a voicemail' })).status).toBe(303);
    await clp.post(`/concerns/${id}/close`, { note: 'Spoke to her: she is safe' });
    const closed = await clp.get(`/concerns/${id}`);
    expect(closed.html).toContain('Reopen the concern');
    expect(closed.html).toContain('Left a voicemail');
    const noWhy = await clp.post(`/concerns/${id}/reopen`, { note: '' });
    expect(noWhy.status).toBe(400);
    expect(noWhy.html).toContain('href="#reopen-note"');
    expect((await clp.post(`/concerns/${id}/reopen`, { note: 'She asked for help again' })).status).toBe(303);
    expect((await t.request('GET', `/api/v1/concerns/${id}`, { token: t.clp.token })).body.status).toBe('open');
  });
});
