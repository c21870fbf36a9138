import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { groupWithPeople, outbox } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

/** Four people: two who get texts, one with no consent, one who asked not to be texted. */
async function walkWithFour() {
  const t = await makeTestApp('2027-03-01T09:00:00Z');
  const setup = await groupWithPeople(t, [
    { givenName: 'Amira' },
    { givenName: 'Brian' },
    { givenName: 'Chloe', smsConsent: false },
    { givenName: 'Dev', doNotText: true },
  ]);
  return { t, ...setup, clp: await pagesAs(t, t.clp.token) };
}

const texts = async (t: Awaited<ReturnType<typeof makeTestApp>>, kind: string) => (await outbox(t, kind)).filter((m) => m.status === 'pending');

describe('changes that text people ask first, showing the text and who cannot get it', () => {
  it('cancelling shows the text as it will go and who to phone; nothing changes until it is confirmed', async () => {
    const { t, sessions, clp } = await walkWithFour();
    const id = sessions[0]!.id;
    const check = await clp.post(`/sessions/${id}/cancel`, { reason: 'heavy rain', notify: 'yes' });
    expect(check.status).toBe(200);
    expect(check.html).toContain('Check before you cancel');
    // The same text to several people is shown once, with their name as a slot and who gets it.
    expect(check.html).toMatch(/2 people will get this text/);
    expect(check.html).toContain('<strong>2 people will get:</strong>');
    expect(check.html).toMatch(/Hi <em class="name-slot">\[their name\]<\/em>, sorry: your Tuesday group on .* is cancelled \(heavy rain\)/);
    expect(check.html).toContain('To Amira, Brian');
    expect(check.html.match(/class="sms-preview"/g)).toHaveLength(1);
    expect(check.html).toMatch(/2 people cannot be texted: phone them/);
    expect(check.html).toContain('no consent to texts');
    expect(check.html).toContain('marked &quot;do not text&quot;');
    expect(check.html).toContain('Cancel the session and send 2 texts');
    // Only a look so far.
    expect((await t.request('GET', `/api/v1/sessions/${id}`, { token: t.clp.token })).body.status).toBe('scheduled');
    expect(await texts(t, 'cancellation')).toHaveLength(0);

    const done = await clp.post(`/sessions/${id}/cancel`, { reason: 'heavy rain', notify: 'yes', confirmed: 'yes' });
    expect(done.status).toBe(303);
    // The count says what really went: 2 texts, and 2 people to phone (it used to say "4 texts queued").
    expect(decodeURIComponent(done.location!)).toContain('Cancelled. 2 texts queued; 2 people cannot be texted');
    expect((await t.request('GET', `/api/v1/sessions/${id}`, { token: t.clp.token })).body.status).toBe('cancelled');
    expect(await texts(t, 'cancellation')).toHaveLength(2);
  });

  it('a cancellation without a reason shows the session page again with the problem beside the field', async () => {
    const { sessions, clp } = await walkWithFour();
    const page = await clp.post(`/sessions/${sessions[0]!.id}/cancel`, { reason: '  ', notify: 'yes' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('There is a problem');
    expect(page.html).toContain('href="#reason"');
    expect(page.html).toContain('id="reason-error"');
    expect(page.html).toContain('<title>Error: ');
  });

  it('moving shows the new time in the text; a time in the past is refused on the form, keeping what was typed', async () => {
    const { t, sessions, clp } = await walkWithFour();
    const id = sessions[0]!.id;
    const check = await clp.post(`/sessions/${id}/move`, { date: '2027-03-04', time: '14:30', notify: 'yes' });
    expect(check.html).toContain('Check before you move this session');
    expect(check.html).toMatch(/Hi <em class="name-slot">\[their name\]<\/em>, your Tuesday group has moved: it is now .*14:30/);
    expect(check.html).toContain('Move the session and send 2 texts');
    expect(await texts(t, 'moved')).toHaveLength(0);
    const past = await clp.post(`/sessions/${id}/move`, { 'date-day': '1', 'date-month': '2', 'date-year': '2027', time: '14:30', notify: 'yes' });
    expect(past.status).toBe(400);
    expect(past.html).toContain('A session can only move to a time still to come');
    expect(past.html).toMatch(/name="date-month"[^>]*value="2"/);
    const done = await clp.post(`/sessions/${id}/move`, { date: '2027-03-04', time: '14:30', notify: 'yes', confirmed: 'yes' });
    expect(decodeURIComponent(done.location!)).toContain('Moved. 2 texts queued; 2 people cannot be texted');
  });

  it('an ad-hoc text is checked before it goes, and one too long comes back with its words kept', async () => {
    const { t, sessions, clp } = await walkWithFour();
    const id = sessions[0]!.id;
    const long = 'Bring a waterproof and sturdy shoes, we will walk the long loop by the canal today. '.repeat(8);
    const tooLong = await clp.post(`/sessions/${id}/message`, { body: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('shorten it to 3 or fewer');
    expect(tooLong.html).toContain('Bring a waterproof and sturdy shoes');
    const check = await clp.post(`/sessions/${id}/message`, { body: 'Bring a waterproof today.' });
    expect(check.html).toContain('Check before you send');
    expect(check.html).toContain('Bring a waterproof today.');
    expect(check.html).toContain('Send 2 texts');
    expect(await texts(t, 'adhoc')).toHaveLength(0);
    const done = await clp.post(`/sessions/${id}/message`, { body: 'Bring a waterproof today.', confirmed: 'yes' });
    expect(decodeURIComponent(done.location!)).toContain('2 texts queued; 2 people cannot be texted');
    expect(await texts(t, 'adhoc')).toHaveLength(2);
  });

  it('withdrawing someone from a full group names who gets the place and shows the offer before it is given', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, ids } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }, { givenName: 'Chloe' }], { capacity: 2 });
    const clp = await pagesAs(t, t.clp.token);
    const check = await clp.post(`/groups/${group.id}/withdraw/${ids[0]}`);
    expect(check.status).toBe(200);
    expect(check.html).toContain('Withdraw Amira from Tuesday Health Walk?');
    expect(check.html).toMatch(/Hi Chloe, good news: a place is free for you/);
    expect(check.html).toContain('Withdraw Amira and offer the place');
    const still = await t.request('GET', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token });
    expect(still.body.items.map((e: { participantId: number; status: string }) => [e.participantId, e.status])).toContainEqual([ids[0], 'active']);

    const done = await clp.post(`/groups/${group.id}/withdraw/${ids[0]}`, { confirmed: 'yes' });
    expect(decodeURIComponent(done.location!)).toContain('The first person on the waitlist now has the place');
    const after = await t.request('GET', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token });
    expect(after.body.items.find((e: { participantId: number }) => e.participantId === ids[2]).status).toBe('active');
    // Withdrawing from the waitlist offers nobody anything.
    const waiting = await clp.post(`/groups/${group.id}/withdraw/${ids[1]}`);
    expect(waiting.html).toContain('Nobody is waiting for a place');
  });
});
