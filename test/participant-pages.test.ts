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

  it('a participation summary for the GP record: groups, dates, sessions and scores with dates, and no notes', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, sessions } = await (async () => {
      const { group } = await seedGroup(t, { name: 'Mindfulness for Anxiety', kind: 'mindfulness' });
      const sessions = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-04-30`, { token: t.clp.token })).body.items;
      return { group, sessions };
    })();
    const id = (
      await t.request('POST', '/api/v1/participants', {
        token: t.clp.token,
        body: { givenName: 'Amira', familyName: 'Khan', smsConsent: false, chiNumber: '0101901232', accessNeeds: 'Private: fled abuse, do not disclose' },
      })
    ).body.id;
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, {
      token: t.clp.token,
      body: { participantId: id, referralSource: 'gp', referralReason: 'Low mood after bereavement' },
    });
    for (const s of sessions.slice(0, 3)) {
      t.clock.set(new Date(Date.parse(s.startsAt) + 30 * 60_000).toISOString());
      await t.request('PUT', `/api/v1/sessions/${s.id}/register`, { token: t.clp.token, body: { entries: [{ participantId: id, status: 'present' }] } });
    }
    t.clock.set('2027-06-01T12:00:00Z');
    const clp0 = await t.request('POST', '/api/v1/auth/login', { body: { email: 'clp@possil.test', password: 'correct horse battery' } });
    await t.request('POST', `/api/v1/participants/${id}/outcomes`, {
      token: clp0.body.token,
      body: { measure: 'swemwbs', answers: [4, 3, 3, 3, 3, 3, 3], takenOn: '2027-03-02' },
    });
    const clp = await pagesAs(t, clp0.body.token);
    expect((await clp.get(`/participants/${id}`)).html).toContain(`href="/participants/${id}/summary"`);
    const page = await clp.get(`/participants/${id}/summary`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('CHI 0101901232');
    expect(page.html).toContain('Mindfulness for Anxiety');
    expect(page.html).toMatch(/given a place 1 Mar 2027/);
    expect(page.html).toContain('3 (2 Mar 2027 to 16 Mar 2027)');
    expect(page.html).toContain('SWEMWBS, 2 Mar 2027: 19.98 (raw 22, of 35)');
    const text = page.html.match(/<textarea id="summary-text"[^>]*>([\s\S]*?)<\/textarea>/)![1]!;
    expect(text).toContain('- Mindfulness for Anxiety: given a place 1 Mar 2027; attended 3 sessions (2 Mar 2027 to 16 Mar 2027).');
    expect(text).toContain('- SWEMWBS 2 Mar 2027: 19.98 (raw 22, of 35)');
    // No free-text notes ever reach the clinical record from here.
    expect(page.html).not.toMatch(/fled abuse|bereavement/);
    const trail = (await t.request('GET', `/api/v1/audit-events?participantId=${id}`, { token: t.admin.token })).body.items;
    expect(trail.some((e: { action: string; entity: string }) => e.action === 'export' && e.entity === 'participation_summary')).toBe(true);
    // Staff never reach it.
    expect((await (await pagesAs(t, t.staff.token)).get(`/participants/${id}/summary`)).status).toBe(403);
  });
});
