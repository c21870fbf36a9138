import { describe, expect, it } from 'vitest';
import { replyIntent } from '../src/sms/replies/reply-words.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';
import { inboundText, twilioPost } from './helpers/twilio-webhook.js';

const inbound = (t: TestApp, from: string, body: string, sid?: string) => inboundText(t, from, body, sid ? { MessageSid: sid } : {});

describe('inbound SMS webhook', () => {
  it('refuses a missing or wrong Twilio signature with 403 and stores nothing', async () => {
    const t = await makeTestApp();
    expect((await twilioPost(t, '/webhooks/twilio/inbound', { From: '+447700900001', Body: 'STOP', MessageSid: 'SM1' }, { badSignature: true })).status).toBe(
      403,
    );
    const unsigned = await t.app.request('/webhooks/twilio/inbound', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B447700900001&Body=STOP&MessageSid=SM2',
    });
    expect(unsigned.status).toBe(403);
    expect(await t.db.selectFrom('messages').selectAll().execute()).toEqual([]);
  });

  it.each(['STOP', 'stop', 'Stop thanks', 'stop please', 'Please stop', 'UNSUBSCRIBE', 'Stop.'])('"%s" opts out, and nothing more is sent', async (word) => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    const res = await inbound(t, '+447700900001', word);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Response></Response>');
    const p = await t.db.selectFrom('participants').select('opted_out_at').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(p.opted_out_at).not.toBeNull();
    const sentBefore = t.sms.sent.length;
    t.clock.set('2027-03-02T08:30:00Z');
    await pass(t);
    expect(t.sms.sent.length).toBe(sentBefore);
    expect((await outbox(t, 'reminder')).every((m) => m.status === 'skipped' && m.status_reason === 'opted_out')).toBe(true);
  });

  it('START opts back in', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await inbound(t, '+447700900001', 'STOP');
    await inbound(t, '+447700900001', 'start');
    const p = await t.db.selectFrom('participants').select('opted_out_at').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(p.opted_out_at).toBeNull();
  });

  it('"C" gives apologies for the next session within 48 h and confirms by SMS', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t);
    await inbound(t, '07700 900001', ' c ');
    const reg = await t.request('GET', `/api/v1/sessions/${sessions[0]!.id}/register`, { token: t.clp.token });
    expect(reg.body.entries.find((e: { participantId: number }) => e.participantId === ids[0])).toMatchObject({ status: 'apologies', recordedBy: null });
    await pass(t);
    const confirm = await outbox(t, 'apologies_confirmed');
    expect(confirm.map((m) => [m.participant_id, m.status])).toEqual([[ids[0], 'sent']]);
    expect(confirm[0]!.body).toBe(
      'Thanks Amira, we have noted you cannot come to your Tuesday group on Tue 2 Mar at 10:00. See you next time. Possilpark Health Centre',
    );
    const amiraReminders = (await outbox(t, 'reminder')).filter((m) => m.participant_id === ids[0] && m.session_id === sessions[0]!.id);
    expect(amiraReminders.every((m) => m.status === 'skipped' && m.status_reason === 'apologies_given')).toBe(true);
    // the same webhook delivered twice by Twilio changes nothing
    const sid = 'SM-repeat-0001';
    await inbound(t, '+447700900002', 'C', sid);
    await inbound(t, '+447700900002', 'C', sid);
    expect((await t.db.selectFrom('messages').selectAll().where('provider_sid', '=', sid).execute()).length).toBe(1);
  });

  it('"C" with no session in the next 48 hours, other words and unknown numbers land in the inbox', async () => {
    const t = await makeTestApp('2027-03-03T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await inbound(t, '+447700900001', 'C');
    await inbound(t, '+447700900001', 'Can I bring my sister next week?');
    await inbound(t, '+447911123456', 'who is this');
    const res = await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.clp.token });
    expect(res.body.items.map((m: { body: string; statusReason: string | null }) => [m.body, m.statusReason])).toEqual([
      ['who is this', 'unknown number'],
      ['Can I bring my sister next week?', null],
      ['C', 'apologies sent, but no session in the next 48 hours'],
    ]);
    // An unknown number texting the shared number reaches the first practice on it, never nobody.
    const stray = await t.db.selectFrom('messages').selectAll().where('body', '=', 'who is this').executeTakeFirstOrThrow();
    expect(stray).toMatchObject({ practice_id: t.practice.id, direction: 'inbound', from_number: '+447911123456', status_reason: 'unknown number' });
    expect((await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.staff.token })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.otherAdmin.token })).body.items).toEqual([]);
  });

  it('classifies replies without guessing at longer sentences', () => {
    expect(replyIntent('Stop thanks')).toBe('stop');
    expect(replyIntent('cancel')).toBe('stop');
    expect(replyIntent('I will stop by later to say hello')).toBe('maybe_stop');
    expect(replyIntent('Can I come')).toBe('other');
    expect(replyIntent('c')).toBe('apologies');
    expect(replyIntent('YES')).toBe('start');
  });
});

describe('delivery status webhook', () => {
  it('moves a message forward only, and repeats change nothing', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    const [welcome] = await outbox(t, 'welcome');
    const status = (s: string, extra: Record<string, string> = {}) =>
      twilioPost(t, '/webhooks/twilio/status', { MessageSid: welcome!.provider_sid!, MessageStatus: s, ...extra });
    expect((await status('delivered')).status).toBe(204);
    await status('delivered');
    await status('sent');
    const row = await t.db.selectFrom('messages').selectAll().where('id', '=', welcome!.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('delivered');
    expect(row.delivered_at).not.toBeNull();
    expect((await twilioPost(t, '/webhooks/twilio/status', { MessageSid: 'SMunknown', MessageStatus: 'failed', ErrorCode: '30003' })).status).toBe(204);
    expect(
      (await twilioPost(t, '/webhooks/twilio/status', { MessageSid: welcome!.provider_sid!, MessageStatus: 'failed' }, { badSignature: true })).status,
    ).toBe(403);
    const list = await t.request('GET', '/api/v1/messages?direction=outbound', { token: t.clp.token });
    expect(list.body.items[0]).toMatchObject({ kind: 'welcome', status: 'delivered', notSent: true });
  });
});

describe('replies and the rest of the system', () => {
  it('a session with apologies by text is kept when the schedule changes', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, sessions } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await inbound(t, '+447700900001', 'C');
    const edit = await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.clp.token,
      body: { schedule: { frequency: 'weekly', weekdays: ['thu'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' } },
    });
    expect(edit.status).toBe(200);
    const kept = await t.request('GET', `/api/v1/sessions/${sessions[0]!.id}/register`, { token: t.clp.token });
    expect(kept.body.entries[0].status).toBe('apologies');
  });

  it('export includes the texts; erasure blanks what they said and the number, keeping that they were sent', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    await inbound(t, '+447700900001', 'Can I bring my sister?');
    const doc = await t.request('GET', `/api/v1/participants/${ids[0]}/export`, { token: t.admin.token });
    const texts = doc.body.messages.map((m: { direction: string; kind: string; text: string }) => [m.direction, m.kind, m.text.slice(0, 10)]);
    expect(texts).toContainEqual(['outbound', 'welcome', 'Hi Amira, ']);
    expect(texts).toContainEqual(['outbound', 'reminder', 'Hi Amira, ']);
    expect(texts).toContainEqual(['inbound', 'inbound', 'Can I brin']);
    expect((await t.request('POST', `/api/v1/participants/${ids[0]}/erase`, { token: t.admin.token })).status).toBe(200);
    const rows = await t.db.selectFrom('messages').selectAll().execute();
    expect(rows.length).toBeGreaterThan(1);
    expect(JSON.stringify(rows)).not.toMatch(/Amira|7700900001|sister/);
    expect(rows.filter((m) => m.kind === 'welcome').map((m) => [m.status, m.body])).toEqual([['sent', '[erased]']]);
  });
});
