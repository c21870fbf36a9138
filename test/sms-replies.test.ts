import { describe, expect, it } from 'vitest';
import { replyIntent } from '../src/sms/replies/reply-words.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';
import { inboundText } from './helpers/twilio-webhook.js';

async function reply(t: TestApp, from: string, body: string, extra: Record<string, string> = {}) {
  expect((await inboundText(t, from, body, extra)).status).toBe(200);
}

const optedOut = async (t: TestApp, id: number) =>
  (await t.db.selectFrom('participants').select('opted_out_at').where('id', '=', id).executeTakeFirstOrThrow()).opted_out_at !== null;

describe('replies are understood', () => {
  // The last five are 'stop' in our other languages: flagged for a CLP, never obeyed on their own.
  it.each([
    'cancel tuesday please',
    "can't stop",
    'Don’t stop',
    "don't stop the texts",
    'I might stop coming',
    'When does it stop?',
    'stop by the gate?',
    'توقف',
    'стоп',
    'Стоп будь ласка',
    'Opriți',
    'dość',
  ])('"%s" does not opt out: it reaches the inbox flagged', async (words) => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await reply(t, '+447700900001', words);
    expect(await optedOut(t, ids[0]!)).toBe(false);
    const inbox = await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.clp.token });
    expect(inbox.body.items[0]).toMatchObject({ body: words, statusReason: expect.stringMatching(/may want to stop texts/) });
  });

  it.each([
    'STOP',
    'Stop thanks',
    'STOP.',
    'please stop',
    'Stop!!',
    'end',
    'Unsubscribe please',
    'quit x',
    'STOP ALL',
    'Stop all',
    'stop it',
    'STOP STOP',
    'CANCEL',
  ])('"%s" opts out', async (words) => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await reply(t, '+447700900001', words);
    expect(await optedOut(t, ids[0]!)).toBe(true);
  });

  it.each([
    'Stop texting me please',
    'please stop sending me messages',
    'no more texts',
    "Don't text me again",
    'Remove me from your list please',
    'I dont want any more texts thanks',
    'STOP SENDING ME THESE MESSAGES!!',
    'opt me out',
  ])('"%s" is a clear request: it opts out at once, and the inbox says so', async (words) => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await reply(t, '+447700900001', words);
    expect(await optedOut(t, ids[0]!)).toBe(true);
    await pass(t);
    expect(t.sms.sent.filter((m) => m.to === '+447700900001')).toEqual([]);
    const inbox = await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.clp.token });
    expect(inbox.body.items[0].statusReason).toMatch(/opted out: asked in their own words/);
  });

  it('Twilio\'s OptOutType is obeyed whatever the words (Advanced Opt-Out, e.g. "Arrêt")', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await reply(t, '+447700900001', 'Arrêt', { OptOutType: 'STOP' });
    expect(await optedOut(t, ids[0]!)).toBe(true);
    await reply(t, '+447700900001', 'Reprendre', { OptOutType: 'START' });
    expect(await optedOut(t, ids[0]!)).toBe(false);
  });

  it.each([
    'C',
    'c',
    'C thanks',
    'c sorry',
    'cant come',
    "can't make it",
    'cannot come',
    'not coming',
    'sorry can’t come today',
    "Sorry can't make it",
    "I can't come tomorrow",
    'cancel sorry',
    'Cancel thanks',
    'cancel please',
  ])('"%s" gives apologies for the next session and confirms it by label and day', async (words) => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await reply(t, '07700 900001', words);
    const reg = await t.request('GET', `/api/v1/sessions/${sessions[0]!.id}/register`, { token: t.clp.token });
    expect(reg.body.entries.find((e: { participantId: number }) => e.participantId === ids[0])).toMatchObject({ status: 'apologies' });
    await pass(t);
    expect(t.sms.sent.filter((s) => s.body.startsWith('Thanks')).map((s) => s.body)).toEqual([
      'Thanks Amira, we have noted you cannot come to your Tuesday group on Tue 2 Mar at 10:00. See you next time. Possilpark Health Centre',
    ]);
  });

  it('with two sessions in the next 48 hours, apologies go to the earlier one', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }], {
      name: 'Wednesday Chair Yoga',
      smsLabel: 'your Wednesday class',
      schedule: { frequency: 'weekly', weekdays: ['wed'], startTime: '14:00', durationMinutes: 60, startDate: '2027-03-03' },
    });
    // A second group on Tuesday morning, earlier than Wednesday's.
    const venue = (await t.request('GET', '/api/v1/venues', { token: t.clp.token })).body.items[0].id;
    const tue = await t.request('POST', '/api/v1/groups', {
      token: t.clp.token,
      body: {
        name: 'Tuesday Walk',
        kind: 'health_walk',
        venueId: venue,
        capacity: 10,
        schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' },
      },
    });
    await t.request('POST', `/api/v1/groups/${tue.body.id}/enrolments`, { token: t.clp.token, body: { participantId: ids[0] } });
    await reply(t, '+447700900001', 'C');
    const marks = await t.db.selectFrom('attendance').innerJoin('sessions', 'sessions.id', 'attendance.session_id').select(['sessions.group_id']).execute();
    expect(marks.map((m) => m.group_id)).toEqual([tue.body.id]);
  });

  it('an unknown sender reaches the inbox of the practice whose number was texted', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const own = await t.request('PATCH', '/api/v1/practice', { token: t.otherAdmin.token, body: { smsFrom: '+447700900888' } });
    expect(own.status).toBe(200);
    expect(own.body.smsFrom).toBe('+447700900888');
    await reply(t, '+447911123456', 'Is the walk on?', { To: '+447700900888' });
    await reply(t, '+447911123457', 'Hello?');
    const govan = await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.otherAdmin.token });
    const possil = await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.admin.token });
    expect(govan.body.items.map((m: { body: string }) => m.body)).toEqual(['Is the walk on?']);
    expect(possil.body.items.map((m: { body: string }) => m.body)).toEqual(['Hello?']);
    // Two practices cannot share one number: replies could not be routed.
    expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { smsFrom: '+447700900888' } })).status).toBe(409);
  });

  it('a practice with its own number texts from it', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { smsFrom: '+447700900321' } });
    await groupWithPeople(t, [{ givenName: 'Amira' }]);
    const froms: (string | null)[] = [];
    await pass(t, {
      name: 'twilio',
      async send(msg) {
        froms.push(msg.sender?.from ?? null);
        return { sid: `SMown${froms.length}`, status: 'queued' };
      },
    });
    expect(froms.length).toBeGreaterThan(0);
    expect(new Set(froms)).toEqual(new Set(['+447700900321']));
    expect((await outbox(t, 'welcome'))[0]!.status).toBe('sent');
  });

  it("HELP is answered once, in the person's language: who is texting, how to stop, the practice's number", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Olena' }]);
    await t.request('PATCH', `/api/v1/participants/${ids[1]}`, { token: t.clp.token, body: { preferredLanguage: 'uk' } });
    await reply(t, '+447700900001', 'HELP', { To: '+447700900999' });
    await reply(t, '+447700900002', 'help', { To: '+447700900999' });
    await pass(t);
    const helpRows = await outbox(t, 'help');
    const answers = t.sms.sent.filter((m) => helpRows.some((r) => r.body === m.body && r.to_number === m.to));
    const toAmira = answers.filter((m) => m.to === '+447700900001');
    expect(toAmira).toHaveLength(1);
    expect(toAmira[0]!.body).toBe(
      "Possilpark Health Centre texts you about your groups. Reply C if you can't come to a session, STOP for no more texts. To talk to us: +447700900999",
    );
    const toOlena = answers.filter((m) => m.to === '+447700900002');
    expect(toOlena.map((m) => m.body)).toEqual([expect.stringContaining('надсилає вам SMS')]);
    const inbox = await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.clp.token });
    expect(inbox.body.items[0].statusReason).toMatch(/asked for HELP: answered/);
    expect(await optedOut(t, ids[0]!)).toBe(false);
  });

  it('classifies the words themselves', () => {
    expect(replyIntent('cancel sorry')).toBe('apologies');
    expect(replyIntent('CANCEL')).toBe('stop');
    expect(replyIntent('stop it')).toBe('stop');
    expect(replyIntent('HELP')).toBe('help');
    expect(replyIntent('Stop thanks')).toBe('stop');
    expect(replyIntent("can't stop")).toBe('maybe_stop');
    expect(replyIntent('cancel tuesday please')).toBe('maybe_stop');
    expect(replyIntent('C thanks')).toBe('apologies');
    expect(replyIntent('Can I come')).toBe('other');
    expect(replyIntent('See you there')).toBe('other');
    expect(replyIntent('Stop', 'HELP')).toBe('stop');
  });
});
