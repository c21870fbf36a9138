import { describe, expect, it } from 'vitest';
import { fieldWords } from '../src/web/error-page.js';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

describe('participant and enrolment pages, as a CLP reads them', () => {
  it('numbers as people write them, a search with no match says so, and erasure without the tick says nothing was erased', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const id = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Amira', phone: '07700 900109', smsConsent: true } }))
      .body.id;
    const clp = await pagesAs(t, t.clp.token);
    const list = await clp.get('/participants');
    expect(list.html).toContain('07700 900109');
    expect(list.html).not.toContain('+447700900109');
    expect((await clp.get('/participants?q=zebedee')).html).toContain('Nobody matches “zebedee”');
    expect((await clp.get(`/participants/${id}`)).html).toContain('07700 900109');
    const admin = await pagesAs(t, t.admin.token);
    const unticked = await admin.post(`/participants/${id}/erase`, {});
    expect(decodeURIComponent(unticked.location!)).toContain('Tick the box to confirm the erasure: nothing was erased.');
    expect((await admin.get(unticked.location!)).html).toContain('nothing was erased');
    expect((await t.db.selectFrom('participants').select('erased_at').where('id', '=', id).executeTakeFirstOrThrow()).erased_at).toBeNull();
  });

  it('the enrol form takes a referral reason for the monitoring return, and the list says who referred in words', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const id = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Amira', smsConsent: false } })).body.id;
    const clp = await pagesAs(t, t.clp.token);
    const enrolled = await clp.post(`/groups/${group.id}/enrol`, {
      participantId: String(id),
      referralSource: 'other_service',
      referralReason: 'isolation after a bereavement',
    });
    expect(enrolled.status).toBe(303);
    const page = await clp.get(`/groups/${group.id}`);
    expect(page.html).toContain('Another service');
    expect(page.html).not.toContain('>other_service<');
    const monitoring = await t.request('GET', '/api/v1/reports/monitoring', { token: t.clp.token });
    expect(monitoring.body.items[0]).toMatchObject({ referralReason: 'isolation after a bereavement' });
    const tooLong = await clp.post(`/groups/${group.id}/enrol`, { participantId: String(id), referralReason: 'x'.repeat(201) });
    expect(tooLong.status).toBe(400);
  });
});

describe('the participant form when something is wrong', () => {
  it('comes back with each problem beside its field in words, keeping what was typed, and writes nothing', async () => {
    const t = await makeTestApp();
    const clp = await pagesAs(t, t.clp.token);
    const bad = await clp.post('/participants', { givenName: 'Amira', familyName: 'Haddad', phone: '0141 123 4567', smsConsent: 'yes', chiNumber: '123' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('There is a problem');
    expect(bad.html).toContain('href="#phone"');
    expect(bad.html).toContain('href="#chiNumber"');
    expect(bad.html).not.toMatch(/givenName:|chiNumber:/);
    expect(bad.html).toContain('value="Haddad"');
    expect(bad.html).toContain('value="0141 123 4567"');
    expect(bad.html).toContain('Add participant');
    expect((await t.db.selectFrom('participants').select('id').execute()).length).toBe(0);

    // A CHI another person here has is shown beside the CHI field, not on a separate page.
    const chi = '0101901232';
    expect((await clp.post('/participants', { givenName: 'Brian', chiNumber: chi })).status).toBe(303);
    const again = await clp.post('/participants', { givenName: 'Chloe', chiNumber: chi });
    expect(again.status).toBe(400);
    expect(again.html).toContain('Another participant here already has that CHI number');
    expect(again.html).toContain('value="Chloe"');
  });
});

describe('the enrol form on a group page', () => {
  it('chooses nobody until the CLP does, and finds people by name without JavaScript', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    for (const givenName of ['Amira', 'Brian', 'Bronwen'])
      await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName, smsConsent: false } });
    const clp = await pagesAs(t, t.clp.token);
    const page = await clp.get(`/groups/${group.id}`);
    expect(page.html).toContain('<option value="">Choose a person</option>');
    expect(page.html).not.toMatch(/<option value="\d+" selected/);
    const found = await clp.get(`/groups/${group.id}?find=br`);
    expect(found.html).toContain('>Brian</option>');
    expect(found.html).toContain('>Bronwen</option>');
    expect(found.html).not.toContain('>Amira</option>');
    expect((await clp.get(`/groups/${group.id}?find=zed`)).html).toContain('Nobody not yet in the group matches “zed”');
    const none = await clp.post(`/groups/${group.id}/enrol`, { participantId: '' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('Choose who to enrol');
  });
});

describe('a page error', () => {
  it('names fields in words and is sent with a same-origin referrer policy, so Go back can appear', async () => {
    expect(fieldWords('schedule.weekdays.0')).toBe('Schedule, weekdays');
    expect(fieldWords('givenName')).toBe('Given name');
    expect(fieldWords('venueId')).toBe('Venue');
    const t = await makeTestApp();
    const res = await t.app.request('/login');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });
});
