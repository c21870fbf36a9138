import { describe, expect, it } from 'vitest';
import { groupWithPeople, pass } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

describe('every read of patient data is tied to each person it showed', () => {
  it("search, register, enrolment list, message list, check-ins and the messages page all appear in a person's audit trail", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t);
    const amira = ids[0]!;
    const trail = async () =>
      (await t.request('GET', `/api/v1/audit-events?participantId=${amira}`, { token: t.admin.token })).body.items.map(
        (e: { action: string; entity: string }) => `${e.action}:${e.entity}`,
      );
    const before = await trail();
    await t.request('GET', '/api/v1/participants?q=ami', { token: t.clp.token });
    await t.request('GET', `/api/v1/sessions/${sessions[0]!.id}/register`, { token: t.clp.token });
    await t.request('GET', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token });
    await t.request('GET', '/api/v1/messages', { token: t.clp.token });
    // Two registers taken without Amira: she is someone to check in with.
    for (const s of sessions.slice(0, 2)) {
      t.clock.set(new Date(Date.parse(s.startsAt) + 30 * 60_000).toISOString());
      await t.request('PUT', `/api/v1/sessions/${s.id}/register`, { token: t.clp.token, body: { entries: [{ participantId: ids[1], status: 'present' }] } });
    }
    const checkIns = await t.request('GET', '/api/v1/check-ins', { token: t.clp.token });
    expect(checkIns.body.items.map((r: { participantId: number }) => r.participantId)).toContain(amira);
    const cookie = `clg_session=${t.clp.token}`;
    // Her welcome went and her reminders wait: both of the page's lists show her, and each is audited.
    for (const show of ['sent', 'queued']) expect((await t.app.request(`/messages?show=${show}`, { headers: { cookie } })).status).toBe(200);
    const after = (await trail()).slice(0, (await trail()).length - before.length);
    expect(after).toEqual(expect.arrayContaining(['list:participant', 'register_read:session', 'list:enrolment', 'list:message', 'list:check_in']));
    expect(after.filter((a: string) => a === 'list:message')).toHaveLength(3);
    // Brian was not in the search for "ami": that read is not in his trail.
    const brian = (await t.request('GET', `/api/v1/audit-events?participantId=${ids[1]}`, { token: t.admin.token })).body.items;
    expect(brian.filter((e: { action: string; entity: string; detail: string }) => e.entity === 'participant' && e.detail?.includes('search'))).toEqual([]);
  });

  it('a register read writes one audit event however many it shows; a repeat within minutes is folded; an unchanged one answers 304 and writes nothing', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const people = Array.from({ length: 30 }, (_, i) => ({ givenName: `Walker ${i + 1}` }));
    const { ids, sessions } = await groupWithPeople(t, people, { capacity: null });
    const session = sessions[0]!.id;
    const counts = async () => ({
      events: (await t.db.selectFrom('audit_events').select('id').where('action', '=', 'register_read').execute()).length,
      rows:
        (await t.db.selectFrom('audit_events').select('id').execute()).length +
        (await t.db.selectFrom('audit_event_participants').select('event_id').execute()).length +
        (await t.db.selectFrom('audit_shown_members').select('set_id').execute()).length,
    });
    const read = (headers: Record<string, string> = {}) => t.request('GET', `/api/v1/sessions/${session}/register`, { token: t.clp.token, headers });
    const before = await counts();
    const first = await read();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"register-/);
    const afterFirst = await counts();
    // One event, and the set of thirty people written once.
    expect(afterFirst.events - before.events).toBe(1);
    expect(afterFirst.rows - before.rows).toBe(1 + 30);
    // The same user reads it again at once, unchanged: folded into the first read.
    expect((await read()).status).toBe(200);
    expect(await counts()).toEqual(afterFirst);
    // The phone already has it: 304, nothing read, nothing written.
    const again = await read({ 'if-none-match': etag });
    expect([again.status, again.text]).toEqual([304, '']);
    expect(await counts()).toEqual(afterFirst);
    // Later, or by someone else, it is a read of its own: one event row, the set already known.
    t.clock.advance(6 * 60_000);
    expect((await read()).status).toBe(200);
    const later = await counts();
    expect([later.events - afterFirst.events, later.rows - afterFirst.rows]).toEqual([1, 1]);
    // Each person's trail still has it.
    const trail = (await t.request('GET', `/api/v1/audit-events?participantId=${ids[17]}`, { token: t.admin.token })).body.items;
    expect(trail.filter((e: { action: string }) => e.action === 'register_read')).toHaveLength(2);
    // A mark changes the register: the old validator no longer matches.
    t.clock.set(sessions[0]!.startsAt);
    await t.request('PUT', `/api/v1/sessions/${session}/register`, { token: t.clp.token, body: { entries: [{ participantId: ids[0], status: 'present' }] } });
    expect((await read({ 'if-none-match': etag })).status).toBe(200);
  });
});
