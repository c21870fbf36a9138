import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup } from './helpers/test-app.js';
import { pagesAs } from './helpers/pages.js';

describe('venues', () => {
  it('a CLP records a venue with its meeting point; everyone in the practice can read it', async () => {
    const t = await makeTestApp();
    const created = await t.request('POST', '/api/v1/venues', {
      token: t.clp.token,
      body: { name: 'Possil Allotments', address: '1 Balmore Rd', meetingPoint: 'The green shed', accessibility: 'Raised beds; no toilet on site' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      name: 'Possil Allotments',
      address: '1 Balmore Rd',
      postcode: null,
      meetingPoint: 'The green shed',
      accessibility: 'Raised beds; no toilet on site',
      archived: false,
      riskAssessedOn: null,
      riskReviewMonths: null,
      riskReviewDueOn: null,
    });
    const list = await t.request('GET', '/api/v1/venues', { token: t.staff.token });
    expect(list.body.items).toHaveLength(1);
    const patched = await t.request('PATCH', `/api/v1/venues/${created.body.id}`, { token: t.clp.token, body: { meetingPoint: 'The blue shed' } });
    expect(patched.body.meetingPoint).toBe('The blue shed');
    expect(patched.body.address).toBe('1 Balmore Rd');
  });

  it('staff cannot change venues', async () => {
    const t = await makeTestApp();
    expect((await t.request('POST', '/api/v1/venues', { token: t.staff.token, body: { name: 'Hall' } })).status).toBe(403);
  });

  it("keeps practices apart: another practice's venue is a 404 to read or change", async () => {
    const t = await makeTestApp();
    const theirs = await t.request('POST', '/api/v1/venues', { token: t.otherAdmin.token, body: { name: 'Elder Park' } });
    expect((await t.request('GET', `/api/v1/venues/${theirs.body.id}`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/venues/${theirs.body.id}`, { token: t.admin.token, body: { name: 'Mine now' } })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/venues', { token: t.admin.token })).body.items).toEqual([]);
    const still = await t.request('GET', `/api/v1/venues/${theirs.body.id}`, { token: t.otherAdmin.token });
    expect(still.body.name).toBe('Elder Park');
  });

  it('rejects wrong types and bad ids with 400', async () => {
    const t = await makeTestApp();
    expect((await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: '' } })).status).toBe(400);
    expect((await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: ['x'] } })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/venues/abc', { token: t.clp.token })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/venues/999', { token: t.clp.token })).status).toBe(404);
    expect((await t.db.selectFrom('venues').selectAll().execute()).length).toBe(0);
  });
});

describe('editing and archiving venues', () => {
  it('a venue in use cannot be archived; once its group moves it can, and it is no longer offered, until brought back', async () => {
    const t = await makeTestApp();
    const { venueId, group } = await seedGroup(t);
    const refused = await t.request('PATCH', `/api/v1/venues/${venueId}`, { token: t.clp.token, body: { archived: true } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('Tuesday Health Walk meets at Knightswood Park: move it first');
    const hall = await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: 'Possil Church Hall' } });
    expect(hall.body.archived).toBe(false);
    expect((await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { venueId: hall.body.id } })).status).toBe(200);
    // Sessions still to come are moved with the group only if untouched; none were moved by hand here.
    const archived = await t.request('PATCH', `/api/v1/venues/${venueId}`, { token: t.clp.token, body: { archived: true } });
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    const again = await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { venueId } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('Knightswood Park is archived');

    const clp = await pagesAs(t, t.clp.token);
    const form = await clp.get('/groups/new');
    expect(form.html).not.toContain('>Knightswood Park</option>');
    expect((await clp.get('/venues')).html).toContain('Bring back Knightswood Park');
    await clp.post(`/venues/${venueId}/restore`);
    expect((await clp.get('/groups/new')).html).toContain('>Knightswood Park</option>');
  });

  it('the edit page keeps what was typed beside a problem, and an archive refused says why on the same page', async () => {
    const t = await makeTestApp();
    const { venueId } = await seedGroup(t);
    const clp = await pagesAs(t, t.clp.token);
    expect((await clp.get(`/venues/${venueId}/edit`)).html).toContain('value="Front gate on Alderman Road"');
    const bad = await clp.post(`/venues/${venueId}`, { name: '', meetingPoint: 'By the pond' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#name"');
    expect(bad.html).toContain('value="By the pond"');
    const ok = await clp.post(`/venues/${venueId}`, { name: 'Knightswood Park', meetingPoint: 'By the pond' });
    expect(ok.status).toBe(303);
    expect((await t.request('GET', `/api/v1/venues/${venueId}`, { token: t.clp.token })).body.meetingPoint).toBe('By the pond');
    const refused = await clp.post(`/venues/${venueId}/archive`);
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('Tuesday Health Walk meets at Knightswood Park: move it first');
  });
});
