import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

describe('listing a group in public, on the pages', () => {
  it('refuses with each missing part beside its field, previews the listing once complete, and offers the ALISS record to copy', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, venueId } = await seedGroup(t);
    const clp = await pagesAs(t, t.clp.token);
    const page = await clp.get(`/groups/${group.id}/public`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Nothing yet: it still needs');
    const refused = await clp.post(`/groups/${group.id}/public`, { public: 'yes', publicName: 'Knightswood Health Walk' });
    expect(refused.status).toBe(422);
    for (const field of ['publicSummary', 'phone', 'venue']) expect(refused.html).toContain(`href="#${field}"`);
    expect(refused.html).toContain('value="Knightswood Health Walk"');
    expect((await t.request('GET', `/api/v1/groups/${group.id}`, { token: t.clp.token })).body.public).toBe(false);
    const short = await clp.post(`/groups/${group.id}/public`, { public: 'yes', publicSummary: 'Too short', email: 'not an email' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('href="#publicSummary"');
    expect(short.html).toContain('href="#email"');

    await t.request('PATCH', `/api/v1/venues/${venueId}`, { token: t.clp.token, body: { address: 'Alderman Road\nGlasgow', postcode: 'G13 3AB' } });
    const saved = await clp.post(`/groups/${group.id}/public`, {
      public: 'yes',
      publicName: 'Knightswood Health Walk',
      publicSummary: 'A gentle hour-long walk round Knightswood Park at an easy pace, with benches on the way. Everyone welcome.',
      phone: '0141 232 1234',
    });
    expect(saved.status).toBe(303);
    const after = await clp.get(saved.location!);
    expect(after.html).toContain('the group is listed in public');
    expect(after.html).toContain('What the public will see');
    expect(after.html).toContain('Tuesday 2 March, 10:00 to 11:00');
    expect(after.html).toContain('id="aliss-description"');
    expect(after.html).toContain('Every Tuesday, 10:00 to 11:00, from 2 Mar 2027.');
    // A change the directories show asks for ALISS to be updated, until the admin says it is.
    expect(after.html).toContain('The listing changed');
    expect((await clp.post(`/groups/${group.id}/aliss/confirm`)).status).toBe(303);
    expect((await clp.get(`/groups/${group.id}/public`)).html).not.toContain('The listing changed');
    t.clock.set('2027-03-01T10:00:00Z');
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { status: 'paused' } });
    expect((await clp.get(`/groups/${group.id}/public`)).html).toContain('The listing changed');
    // Staff do not manage listings.
    expect((await (await pagesAs(t, t.staff.token)).get(`/groups/${group.id}/public`)).status).toBe(403);
  });
});
