import { describe, expect, it } from 'vitest';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('SMS reminders', () => {
  it('plans the 24 h and 2 h reminders once, however often the pass runs, and sends each when due', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    await pass(t);
    const first = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    expect(first.map((m) => [iso(m.due_at), m.status])).toEqual([
      ['2027-03-01T10:00:00.000Z', 'pending'],
      ['2027-03-02T08:00:00.000Z', 'pending'],
    ]);
    expect(first[0]!.body).toBe(
      'Hi Amira, a reminder: your Tuesday group is Tue 2 Mar at 10:00 at Knightswood Park. Reply C if you cannot come. Possilpark Health Centre',
    );
    t.clock.set('2027-03-01T10:00:30Z');
    expect((await pass(t)).sent).toBe(1);
    expect((await pass(t)).sent).toBe(0);
    t.clock.set('2027-03-02T08:01:00Z');
    await pass(t);
    expect(t.sms.sent.filter((s) => s.body.includes('a reminder'))).toHaveLength(2);
    const sent = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    expect(sent.every((m) => m.status === 'sent' && m.transport === 'local' && /not sent/.test(m.status_reason!))).toBe(true);
  });

  it('uses the discreet SMS label instead of the group name', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }], {
      name: 'Promising Links (loneliness peer group)',
      kind: 'peer_support',
      smsLabel: 'your Tuesday group',
    });
    await pass(t);
    const [m] = await outbox(t, 'reminder');
    expect(m!.body).toContain('your Tuesday group');
    expect(m!.body).not.toMatch(/Promising|loneliness/);
  });

  it('someone enrolled after the 24 h mark gets only the 2 h reminder', async () => {
    const t = await makeTestApp('2027-03-01T12:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Brian' }]);
    await pass(t);
    const rows = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    expect(rows.map((m) => iso(m.due_at))).toEqual(['2027-03-02T08:00:00.000Z']);
  });

  it('never texts without consent, with do-not-text, or after STOP', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [
      { givenName: 'Yes' },
      { givenName: 'NoConsent', smsConsent: false },
      { givenName: 'Dnt', doNotText: true },
      { givenName: 'Stopped' },
    ]);
    await t.db.updateTable('participants').set({ opted_out_at: t.clock.now().getTime() }).where('id', '=', ids[3]!).execute();
    await pass(t);
    const people = new Set((await outbox(t, 'reminder')).map((m) => m.participant_id));
    expect([...people]).toEqual([ids[0]]);
  });

  it('a reminder that would fall in quiet hours goes out the evening before instead', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }], {
      schedule: { frequency: 'weekly', weekdays: ['thu'], startTime: '09:30', durationMinutes: 60, startDate: '2027-03-04' },
    });
    await pass(t);
    const rows = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    // 24 h before = Wed 09:30; 2 h before = Thu 07:30 (quiet) → Wed 20:30
    expect(rows.map((m) => [iso(m.due_at), m.status])).toEqual([
      ['2027-03-03T09:30:00.000Z', 'pending'],
      ['2027-03-03T20:30:00.000Z', 'pending'],
    ]);
  });

  it('drops a quiet-hours reminder that would land right after the other one', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }], {
      reminderOffsetsMinutes: [720, 120],
      schedule: { frequency: 'weekly', weekdays: ['thu'], startTime: '08:30', durationMinutes: 60, startDate: '2027-03-04' },
    });
    await pass(t);
    const rows = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    // 12 h before = Wed 20:30; 2 h before = Thu 06:30 (quiet) → Wed 20:30 too: pointless
    expect(rows.map((m) => [iso(m.due_at), m.status, m.status_reason])).toEqual([
      ['2027-03-03T20:30:00.000Z', 'pending', null],
      ['2027-03-03T20:30:00.000Z', 'skipped', 'quiet_hours'],
    ]);
  });

  it('holds any text due in quiet hours until 08:00, and skips it if the session has started by then', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    // The server was down all day: it comes back at 22:00 the evening before the walk.
    t.clock.set('2027-03-01T22:00:00Z');
    await pass(t);
    const reminders = () => t.sms.sent.filter((s) => s.body.includes('a reminder'));
    expect(reminders()).toHaveLength(0);
    const rows = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    expect(rows.map((m) => [iso(m.due_at), m.status])).toEqual([
      ['2027-03-02T08:00:00.000Z', 'pending'],
      ['2027-03-02T08:00:00.000Z', 'pending'],
    ]);
    t.clock.set('2027-03-02T08:00:00Z');
    await pass(t);
    // Catching up: the 2 h reminder is due too, so the stale 24 h one is not sent after it (or at all).
    expect(reminders()).toHaveLength(1);
    const after = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    expect(after.map((m) => [m.dedupe_key!.split(':')[3], m.status, m.status_reason])).toEqual([
      ['1440', 'skipped', 'later_reminder_due'],
      ['120', 'sent', expect.stringMatching(/not sent/)],
    ]);
  });

  it('no reminder for a cancelled session or after apologies; everyone is told of the cancellation', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }, { givenName: 'Chloe', smsConsent: false }]);
    await pass(t);
    t.clock.set('2027-03-01T10:30:00Z');
    const put = await t.request('PUT', `/api/v1/sessions/${sessions[0]!.id}/register`, {
      token: t.clp.token,
      body: { entries: [{ participantId: ids[1], status: 'apologies' }] },
    });
    expect(put.status).toBe(200);
    await t.request('PATCH', `/api/v1/sessions/${sessions[1]!.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Storm warning' } });
    t.clock.set('2027-03-08T10:30:00Z');
    await pass(t);
    const forFirst = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[0]!.id);
    expect(forFirst.filter((m) => m.participant_id === ids[1]).map((m) => m.status_reason)).toEqual(['apologies_given', 'apologies_given']);
    expect(forFirst.filter((m) => m.participant_id === ids[0]).map((m) => m.status_reason)).toEqual(['too_late', 'too_late']);
    const forCancelled = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[1]!.id);
    expect(forCancelled.every((m) => m.status === 'skipped' && m.status_reason === 'session_cancelled')).toBe(true);
    const notices = await outbox(t, 'cancellation');
    expect(notices.map((m) => [m.participant_id, m.status, m.status_reason])).toEqual([
      [ids[0], 'sent', expect.stringMatching(/not sent/)],
      [ids[1], 'sent', expect.stringMatching(/not sent/)],
      [ids[2], 'skipped', 'no_consent'],
    ]);
    expect(notices[0]!.body).toBe('Hi Amira, sorry: your Tuesday group on Tue 9 Mar at 10:00 is cancelled (Storm warning). Possilpark Health Centre');
  });

  it('a moved session: the notice goes out and the pending reminders follow the new time', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    await t.request('PATCH', `/api/v1/sessions/${sessions[1]!.id}`, { token: t.clp.token, body: { startsAt: '2027-03-10T14:00:00Z' } });
    await pass(t);
    const moved = await outbox(t, 'moved');
    expect(moved).toHaveLength(1);
    expect(moved[0]!.body).toContain('now Wed 10 Mar at 14:00');
    const all = (await outbox(t, 'reminder')).filter((m) => m.session_id === sessions[1]!.id);
    // The old reminders named the old time: retired, and new ones planned for the new time.
    expect(all.filter((m) => m.status === 'skipped').map((m) => [iso(m.due_at), m.status_reason])).toEqual([
      ['2027-03-08T10:00:00.000Z', 'session_changed'],
      ['2027-03-09T08:00:00.000Z', 'session_changed'],
    ]);
    const reminders = all.filter((m) => m.status === 'pending');
    expect(reminders.map((m) => iso(m.due_at))).toEqual(['2027-03-09T14:00:00.000Z', '2027-03-10T12:00:00.000Z']);
    expect(reminders.every((m) => m.body.includes('Wed 10 Mar at 14:00'))).toBe(true);
  });

  it('welcomes a new member and offers a freed place to the first on the waitlist', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, ids } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }], { capacity: 1 });
    await pass(t);
    expect((await outbox(t, 'welcome')).map((m) => m.participant_id)).toEqual([ids[0]]);
    await t.request('DELETE', `/api/v1/groups/${group.id}/enrolments/${ids[0]}`, { token: t.clp.token });
    await pass(t);
    await pass(t);
    const offers = await outbox(t, 'waitlist_offer');
    expect(offers.map((m) => [m.participant_id, m.status])).toEqual([[ids[1], 'sent']]);
    expect(offers[0]!.body).toContain('a place is free for you in your Tuesday group');
  });

  it('an ad-hoc text to a session goes to everyone enrolled; an over-long one is refused', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian', smsConsent: false }]);
    const res = await t.request('POST', `/api/v1/sessions/${sessions[0]!.id}/messages`, {
      token: t.clp.token,
      body: { body: 'Bring waterproofs tomorrow please.' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ queued: 1, skipped: 1, segments: { encoding: 'GSM-7', segments: 1 } });
    const long = await t.request('POST', `/api/v1/sessions/${sessions[0]!.id}/messages`, { token: t.clp.token, body: { body: '😊'.repeat(150) } });
    expect(long.status).toBe(422);
    expect((await t.request('POST', `/api/v1/sessions/${sessions[0]!.id}/messages`, { token: t.staff.token, body: { body: 'hi' } })).status).toBe(403);
    const list = await t.request('GET', '/api/v1/messages?direction=outbound', { token: t.clp.token });
    expect(list.body.items.filter((m: { kind: string }) => m.kind === 'adhoc')).toHaveLength(2);
  });
});
