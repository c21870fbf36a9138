import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

/** The leaders' pages without JavaScript: forms that come back with the problem beside the field and what was typed kept. */
describe('leader pages', () => {
  it('a CLP records a first-aid certificate on the Leaders page; a date that does not exist comes back beside its field', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const leader = await t.addUser(t.practice.id, 'leader', 'lead@walks.test');
    const clp = await pagesAs(t, t.clp.token);
    const bad = await clp.post('/leaders/checks', {
      userId: String(leader.id),
      kind: 'first_aid',
      label: 'Emergency First Aid at Work',
      'validFrom-day': '31',
      'validFrom-month': '2',
      'validFrom-year': '2027',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<title>Error: Leaders and their checks');
    expect(bad.html).toContain('href="#validFrom">Enter the date it was gained as day, month and year');
    expect(bad.html).toContain('value="Emergency First Aid at Work"');
    const good = await clp.post('/leaders/checks', {
      userId: String(leader.id),
      kind: 'first_aid',
      'validFrom-day': '14',
      'validFrom-month': '3',
      'validFrom-year': '2024',
      'expiresOn-day': '13',
      'expiresOn-month': '3',
      'expiresOn-year': '2027',
    });
    expect(good.status).toBe(303);
    const page = await clp.get('/leaders');
    expect(page.html).toContain('leader lead: First aid runs out on 13 March 2027');
    expect((await clp.get('/today')).html).toContain('leader lead: First aid runs out on 13 March 2027');
    // The admin's users page says so too, and offers "leader" as a role.
    const users = await (await pagesAs(t, t.admin.token)).get('/users');
    expect(users.html).toContain('First aid runs out on 13 March 2027');
    expect(users.html).toContain('value="leader"');
    // A leader cannot open it.
    const refused = await (await pagesAs(t, leader.token)).get('/leaders');
    expect(refused.status).toBe(403);
    // Said as it is, with the way back to their own work: not "Please check … Start again".
    expect(refused.html).toMatch(/<h1[^>]*>You cannot see this page<\/h1>/);
    expect(refused.html).toContain('<a href="/today">Back to Today</a>');
    expect(refused.html).not.toMatch(/Please check|Start again/);
  });

  it("a group's people-per-leader and first-aid rule, and a venue's risk review, are set on their forms and refused in plain words when wrong", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, venueId } = await seedGroup(t);
    const clp = await pagesAs(t, t.clp.token);
    const form = await clp.get(`/groups/${group.id}/edit`);
    expect(form.html).toContain('name="participantsPerLeader"');
    const venue = await clp.post(`/venues/${venueId}`, {
      name: 'Knightswood Park',
      'riskAssessedOn-day': '1',
      'riskAssessedOn-month': '5',
      'riskAssessedOn-year': '2027',
      riskReviewMonths: 'six',
    });
    expect(venue.status).toBe(400);
    expect(venue.html).toContain('href="#riskReviewMonths">How often it must be reviewed');
    const future = await clp.post(`/venues/${venueId}`, {
      name: 'Knightswood Park',
      'riskAssessedOn-day': '1',
      'riskAssessedOn-month': '5',
      'riskAssessedOn-year': '2027',
      riskReviewMonths: '6',
    });
    expect(future.html).toContain('The last review cannot be in the future');
    expect(
      (
        await clp.post(`/venues/${venueId}`, {
          name: 'Knightswood Park',
          'riskAssessedOn-day': '1',
          'riskAssessedOn-month': '8',
          'riskAssessedOn-year': '2026',
          riskReviewMonths: '6',
        })
      ).status,
    ).toBe(303);
    expect((await clp.get('/venues')).html).toContain(
      'Knightswood Park: risk assessment was due for review on 1 February 2027 (last reviewed 1 August 2026, due every 6 months)',
    );
  });

  it('an admin erasing someone with an open concern is asked first, on the page', async () => {
    const t = await makeTestApp('2027-03-02T10:30:00Z');
    const p = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Amira', smsConsent: false } });
    await t.request('POST', '/api/v1/concerns', {
      token: t.clp.token,
      body: { participantId: p.body.id, kind: 'wellbeing', urgency: 'this_week', text: 'Amira asked for help with a letter' },
    });
    const admin = await pagesAs(t, t.admin.token);
    expect((await admin.get(`/participants/${p.body.id}`)).html).toContain('A concern about them is still open');
    const refused = await admin.post(`/participants/${p.body.id}/erase`, { confirm: 'yes' });
    expect(refused.location).toContain('problem=');
    expect((await t.request('GET', `/api/v1/participants/${p.body.id}`, { token: t.admin.token })).body.givenName).toBe('Amira');
    const erased = await admin.post(`/participants/${p.body.id}/erase`, { confirm: 'yes', openConcerns: 'erase' });
    expect(erased.location).toBe('/participants?done=Erased.');
    const concerns = await t.request('GET', '/api/v1/concerns', { token: t.clp.token });
    expect(concerns.body.items[0].text).toBe('[name erased] asked for help with a letter');
  });

  it('the printed register shows a leader the same short marks, with given names and initials only', async () => {
    const t = await makeTestApp('2027-03-02T08:00:00Z');
    const { group } = await seedGroup(t);
    const leader = await t.addUser(t.practice.id, 'leader', 'lead@walks.test');
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [leader.id] } });
    const p = await t.request('POST', '/api/v1/participants', {
      token: t.clp.token,
      body: { givenName: 'Nadia', familyName: 'Rahimi', phone: '07700 900123', smsConsent: true, interpreterLanguage: 'fa', transportArranged: true },
    });
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id } });
    const [session] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, { token: t.clp.token })).body.items;
    const print = await (await pagesAs(t, leader.token)).get(`/sessions/${session.id}/register/print`);
    expect(print.status).toBe(200);
    expect(print.html).toContain('Nadia R.');
    expect(print.html).toMatch(/First time · Interpreter: Farsi[^<]* · Transport arranged/);
    expect(print.html).not.toContain('Rahimi');
    expect(print.html).not.toContain('900123');
  });
});
