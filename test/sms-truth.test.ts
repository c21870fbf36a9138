import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../src/config.js';
import { claimDue } from '../src/sms/outbox/dispatcher.js';
import { LEASE_MS } from '../src/sms/outbox/lease.js';
import { releaseAbandoned } from '../src/sms/outbox/reconcile.js';
import { LocalTransport } from '../src/sms/twilio/local-transport.js';
import { SmsSendError } from '../src/sms/twilio/transport.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';
import { twilioPost } from './helpers/twilio-webhook.js';

/** Every text a person's phone received, in order (the local transport records what was sent). */
const received = (t: TestApp, phone: string) => t.sms.sent.filter((s) => s.to === phone).map((s) => s.body);

const statusCallback = (t: TestApp, params: Record<string, string>) => twilioPost(t, '/webhooks/twilio/status', params);

describe('a text is true at the moment it leaves', () => {
  it("someone who withdrew gets none of the group's queued texts", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, ids } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t);
    await t.request('POST', `/api/v1/sessions/${(await outbox(t, 'reminder'))[0]!.session_id}/messages`, { token: t.clp.token, body: { body: 'Bring boots' } });
    await t.request('DELETE', `/api/v1/groups/${group.id}/enrolments/${ids[1]}`, { token: t.clp.token });
    t.clock.set('2027-03-02T08:30:00Z');
    await pass(t);
    expect(received(t, '+447700900002').filter((b) => !b.includes('booked into'))).toEqual([]);
    expect(received(t, '+447700900001').some((b) => b.includes('a reminder'))).toBe(true);
    const brian = (await outbox(t)).filter((m) => m.participant_id === ids[1] && m.kind !== 'welcome');
    expect(brian.length).toBeGreaterThan(0);
    expect(brian.map((m) => [m.kind, m.status, m.status_reason])).toEqual(brian.map((m) => [m.kind, 'skipped', 'not_enrolled']));
  });

  it('after a number changes, the next reminder goes to the new number', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    await t.request('PATCH', `/api/v1/participants/${ids[0]}`, { token: t.clp.token, body: { phone: '07700 900777' } });
    t.clock.set('2027-03-01T10:00:30Z');
    await pass(t);
    expect(received(t, '+447700900777')).toHaveLength(1);
    expect(received(t, '+447700900777')[0]).toContain('a reminder');
    expect(received(t, '+447700900001').filter((b) => b.includes('a reminder'))).toEqual([]);
    const [sent] = (await outbox(t, 'reminder')).filter((m) => m.status === 'sent');
    expect(sent!.to_number).toBe('+447700900777');
  });

  it("a group without an SMS label is never named in a text: it is 'your Tuesday group'", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }], { name: 'Mindfulness for Anxiety', kind: 'mindfulness' });
    await pass(t);
    await t.request('POST', `/api/v1/sessions/${sessions[0]!.id}/messages`, { token: t.clp.token, body: { body: 'See you soon' } });
    await t.request('PATCH', `/api/v1/sessions/${sessions[1]!.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Facilitator ill' } });
    t.clock.set('2027-03-02T08:30:00Z');
    await pass(t);
    const bodies = received(t, '+447700900001');
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    for (const b of bodies) expect(b).not.toMatch(/Mindfulness|Anxiety/i);
    expect(bodies.find((b) => b.includes('booked into'))).toContain('your Tuesday group');
    expect(bodies.find((b) => b.includes('a reminder'))).toContain('your Tuesday group');
  });

  it('a closure texts everyone its cancelled sessions had; lifting it tells them it is back on', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian', smsConsent: false }]);
    const closure = await t.request('POST', '/api/v1/closures', { token: t.admin.token, body: { date: '2027-03-09', reason: 'Staff training' } });
    expect(closure.status).toBe(201);
    await pass(t);
    const cancelled = received(t, '+447700900001').filter((b) => b.includes('cancelled'));
    expect(cancelled).toEqual([
      'Hi Amira, sorry: your Tuesday group on Tue 9 Mar at 10:00 is cancelled (Practice closed: Staff training). Possilpark Health Centre',
    ]);
    expect((await outbox(t, 'cancellation')).map((m) => m.status_reason)).toContainEqual('no_consent');
    expect((await t.request('DELETE', `/api/v1/closures/${closure.body.id}`, { token: t.admin.token })).status).toBe(204);
    await pass(t);
    expect(received(t, '+447700900001').filter((b) => b.includes('on after all'))).toEqual([
      'Hi Amira, good news: your Tuesday group on Tue 9 Mar at 10:00 at Knightswood Park is on after all. Reply C if you cannot come. Possilpark Health Centre',
    ]);
  });

  it('lifting a closure brings back the one-off and the moved session on that day too, and tells their people', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    const oneOff = await t.request('POST', `/api/v1/groups/${group.id}/sessions`, { token: t.clp.token, body: { startsAt: '2027-03-11T14:00' } });
    expect(oneOff.status).toBe(201);
    const moved = sessions[0]!.id;
    await t.request('PATCH', `/api/v1/sessions/${moved}`, { token: t.clp.token, body: { startsAt: '2027-03-11T10:00' } });
    const closure = await t.request('POST', '/api/v1/closures', { token: t.admin.token, body: { date: '2027-03-11', reason: 'Boiler repair' } });
    await pass(t);
    expect(received(t, '+447700900001').filter((b) => b.includes('cancelled'))).toHaveLength(2);
    await t.request('DELETE', `/api/v1/closures/${closure.body.id}`, { token: t.admin.token });
    for (const id of [oneOff.body.id, moved]) {
      const s = await t.request('GET', `/api/v1/sessions/${id}`, { token: t.clp.token });
      expect([s.body.status, s.body.cancelReason]).toEqual(['scheduled', undefined]);
    }
    await pass(t);
    expect(received(t, '+447700900001').filter((b) => b.includes('on after all'))).toEqual([
      'Hi Amira, good news: your group on Thu 11 Mar at 10:00 at Knightswood Park is on after all. Reply C if you cannot come. Possilpark Health Centre',
      'Hi Amira, good news: your group on Thu 11 Mar at 14:00 at Knightswood Park is on after all. Reply C if you cannot come. Possilpark Health Centre',
    ]);
  });

  it('restoring a cancelled session tells people it is back on, and its reminders come back', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    const id = sessions[0]!.id;
    await t.request('PATCH', `/api/v1/sessions/${id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Rain' } });
    // Restored before the cancellation text even left: that text is now false and never goes.
    await t.request('PATCH', `/api/v1/sessions/${id}`, { token: t.clp.token, body: { status: 'scheduled' } });
    await pass(t);
    expect((await outbox(t, 'cancellation')).map((m) => [m.status, m.status_reason])).toEqual([['skipped', 'superseded']]);
    // Nobody heard it was off, so "good news, it is on after all" would only puzzle them.
    expect(received(t, '+447700900001').filter((b) => b.includes('on after all'))).toEqual([]);
    expect((await outbox(t, 'back_on')).map((m) => [m.status, m.status_reason])).toEqual([['skipped', 'never_told_off']]);
    t.clock.set('2027-03-02T08:00:30Z');
    await pass(t);
    expect(received(t, '+447700900001').filter((b) => b.includes('a reminder'))).toHaveLength(1);
  });

  it('a session moved twice: only the latest move is texted, and reminders name the latest time', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    const id = sessions[1]!.id;
    await t.request('PATCH', `/api/v1/sessions/${id}`, { token: t.clp.token, body: { startsAt: '2027-03-10T14:00:00Z' } });
    await t.request('PATCH', `/api/v1/sessions/${id}`, { token: t.clp.token, body: { startsAt: '2027-03-11T11:00:00Z' } });
    await pass(t);
    expect(received(t, '+447700900001').filter((b) => b.includes('has moved'))).toEqual([
      'Hi Amira, your Tuesday group has moved: it is now Thu 11 Mar at 11:00 at Knightswood Park. Reply C if you cannot come. Possilpark Health Centre',
    ]);
    t.clock.set('2027-03-10T11:00:30Z');
    await pass(t);
    expect(
      received(t, '+447700900001')
        .filter((b) => b.includes('a reminder'))
        .pop(),
    ).toContain('Thu 11 Mar at 11:00');
  });

  it('a delivery report that arrives before the send call returns is kept and applied', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }]);
    // Twilio can call back before its answer to our POST reaches us.
    class EagerTwilio extends LocalTransport {
      override async send(msg: { to: string; body: string }) {
        const res = await super.send(msg);
        expect((await statusCallback(t, { MessageSid: res.sid, MessageStatus: 'delivered' })).status).toBe(204);
        return res;
      }
    }
    await pass(t, new EagerTwilio(() => t.clock.now().getTime()));
    const [welcome] = await outbox(t, 'welcome');
    expect(welcome).toMatchObject({ status: 'delivered' });
    expect(welcome!.delivered_at).not.toBeNull();
    expect(await t.db.selectFrom('early_status_callbacks').selectAll().execute()).toEqual([]);
  });

  it('21614 (not a mobile) marks the number so every queued text to it is skipped at once, with the reason', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    const landline = {
      name: 'twilio',
      async send(): Promise<{ sid: string; status: string }> {
        throw new SmsSendError('The To number is not a mobile number', 'permanent', '21614');
      },
    };
    const r = await pass(t, landline);
    expect(r.failed).toBe(1);
    const p = await t.request('GET', `/api/v1/participants/${ids[0]}`, { token: t.clp.token });
    expect(p.body.phoneStatus).toBe('landline');
    const rest = (await outbox(t)).filter((m) => m.status !== 'failed');
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((m) => m.status === 'skipped' && m.status_reason === 'number_landline')).toBe(true);
  });

  for (const [code, state, words] of [
    ['30005', 'invalid', 'the number is not in use'],
    ['30006', 'landline', 'the number is a landline or its network cannot take texts'],
  ] as const) {
    it(`a delivery report of ${code} marks the number ${state}: its queued texts are skipped, and the CLP reads why in words`, async () => {
      const t = await makeTestApp('2027-03-01T09:00:00Z');
      const { ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
      // As Twilio: only texts that really went get delivery reports.
      const twilio = Object.assign(new LocalTransport(() => t.clock.now().getTime()), { name: 'twilio' });
      await pass(t, twilio);
      // Reminders for the next sessions are queued for both before the report comes back.
      await t.request('PATCH', `/api/v1/sessions/${sessions[3]!.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Hall booked' } });
      const welcome = (await outbox(t, 'welcome')).find((m) => m.participant_id === ids[0])!;
      const report = await statusCallback(t, { MessageSid: welcome.provider_sid!, MessageStatus: 'undelivered', ErrorCode: code });
      expect(report.status).toBe(204);
      const amira = await t.request('GET', `/api/v1/participants/${ids[0]}`, { token: t.clp.token });
      expect(amira.body.phoneStatus).toBe(state);
      const queued = (await outbox(t)).filter((m) => m.participant_id === ids[0] && m.id !== welcome.id);
      expect(queued.length).toBeGreaterThan(0);
      expect(queued.map((m) => m.status)).toEqual(queued.map(() => 'skipped'));
      // Brian's number is fine: his texts still wait to go.
      expect((await outbox(t)).some((m) => m.participant_id === ids[1] && m.status === 'pending')).toBe(true);
      const page = await t.app.request(`/participants/${ids[0]}`, { headers: { cookie: `clg_session=${t.clp.token}`, accept: 'text/html' } });
      const html = await page.text();
      expect(html).toContain(`undelivered: ${words}`);
      expect(html).toContain(`(Twilio ${code})`);
    });
  }

  it('rows claimed but never sent go back to pending after a crash; only a started send becomes unknown', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t, { name: 'down', send: () => Promise.reject(new SmsSendError('down', 'retryable', '503')) });
    t.clock.advance(60 * 60_000);
    const now = t.clock.now().getTime();
    const claimed = await claimDue(t.db, now, 2);
    expect(claimed).toHaveLength(2);
    // The process died after claiming; it had started the request for one of them.
    await t.db.updateTable('messages').set({ send_started_at: now }).where('id', '=', claimed[0]!.id).execute();
    expect(await releaseAbandoned(t.db, now + LEASE_MS + 1)).toEqual({ released: 1, unknown: 1 });
    const rows = await t.db.selectFrom('messages').select(['id', 'status']).where('id', 'in', [claimed[0]!.id, claimed[1]!.id]).orderBy('id').execute();
    expect(rows.map((r) => r.status)).toEqual(['unknown', 'pending']);
  });

  it('the same ad-hoc text retried with its Idempotency-Key goes out once', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    const send = (body: string, key = 'retry-key-1') =>
      t.request('POST', `/api/v1/sessions/${sessions[0]!.id}/messages`, { token: t.clp.token, body: { body }, headers: { 'idempotency-key': key } });
    const first = await send('Walk starts at the café today');
    const again = await send('Walk starts at the café today');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await send('Something else')).status).toBe(422);
    expect((await outbox(t, 'adhoc')).length).toBe(2);
    await pass(t);
    expect(t.sms.sent.filter((s) => s.body.includes('café'))).toHaveLength(2);
  });

  it('start-up refuses Twilio credentials without an https PUBLIC_BASE_URL, in one line naming it', () => {
    const twilio = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM: '+447700900999' };
    expect(() => parseEnv(twilio)).toThrow(ConfigError);
    expect(() => parseEnv(twilio)).toThrow(/PUBLIC_BASE_URL .*https/);
    expect(() => parseEnv({ ...twilio, PUBLIC_BASE_URL: 'http://groups.example.org' })).toThrow(/PUBLIC_BASE_URL/);
    expect(parseEnv({ ...twilio, PUBLIC_BASE_URL: 'https://groups.example.org' }).PUBLIC_BASE_URL).toBe('https://groups.example.org');
  });
});
