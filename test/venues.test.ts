import { describe, expect, it } from 'vitest';
import { makeTestApp } from './helpers/test-app.js';

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
      meetingPoint: 'The green shed',
      accessibility: 'Raised beds; no toilet on site',
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
