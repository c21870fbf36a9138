import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from './helpers/test-app.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/openreferral-uk/${name}`, import.meta.url), 'utf8'));

/** Open Referral UK's own JSON Schemas, with the formats they name (ajv knows none by itself). */
function orukValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('uri', (v: string) => URL.canParse(v));
  ajv.addFormat('email', /^[^@\s]+@[^@\s]+\.[^@\s]+$/);
  ajv.addFormat('date-time', (v: string) => !Number.isNaN(Date.parse(v)) && /T/.test(v));
  ajv.addFormat('csv', true);
  const check = (schema: object) => {
    const v = ajv.compile(schema);
    return (data: unknown) => (v(data) ? [] : (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message}`));
  };
  return { service: check(fixture('service.json')), listItem: check(fixture('service_list.json')), page: check(fixture('page.json')) };
}

const PUBLIC = {
  public: true,
  publicName: 'Possilpark Health Walk',
  publicSummary: 'A gentle hour-long walk round Possilpark and the canal, at an easy pace, with a cuppa after. All welcome.',
  publicContact: { phone: '0141 232 1234', url: 'https://possilpark.example.org/walks' },
};

/** A public weekly walk across the March 2027 clock change, a private "Promising Links", and a person in each. */
async function seed(t: TestApp) {
  const venue = await t.request('POST', '/api/v1/venues', {
    token: t.clp.token,
    body: { name: 'Possilpark Library', address: '127 Allander Street\nGlasgow', postcode: 'g22 5jj', meetingPoint: 'Front steps' },
  });
  expect(venue.body.postcode).toBe('G22 5JJ');
  const schedule = { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02', until: '2027-06-29' };
  const walk = await t.request('POST', '/api/v1/groups', {
    token: t.clp.token,
    body: { name: 'Tuesday walk (CLP list)', kind: 'health_walk', venueId: venue.body.id, capacity: 12, schedule, ...PUBLIC },
  });
  expect(walk.status, walk.text).toBe(201);
  const links = await t.request('POST', '/api/v1/groups', {
    token: t.clp.token,
    body: { name: 'Promising Links', kind: 'peer_support', venueId: venue.body.id, capacity: 8, schedule: { ...schedule, weekdays: ['thu'] } },
  });
  for (const [group, givenName, phone] of [
    [walk.body.id, 'Amira', '07700 900111'],
    [links.body.id, 'Brian', '07700 900222'],
  ] as const) {
    const p = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName, familyName: 'Zebedee', phone, smsConsent: true } });
    await t.request('POST', `/api/v1/groups/${group}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id } });
  }
  return { venueId: venue.body.id as number, walk: walk.body, links: links.body };
}

const anon = (t: TestApp, path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

describe("what's on, in public", () => {
  it('a group becomes public only with a public name, a summary, a contact and a venue with address and postcode (422 listing each)', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const venue = await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: 'Hall' } });
    const schedule = { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' };
    const refused = await t.request('POST', '/api/v1/groups', {
      token: t.clp.token,
      body: { name: 'Walk', kind: 'health_walk', venueId: venue.body.id, schedule, public: true },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.problems).toEqual([
      'a public name (it may differ from the name the practice uses)',
      'a summary of 50 to 200 characters',
      'a contact: a phone number, an email address or a web page',
      "the venue's address",
      "the venue's postcode",
    ]);
    expect(await t.db.selectFrom('community_groups').selectAll().execute()).toEqual([]);
    const group = await t.request('POST', '/api/v1/groups', {
      token: t.clp.token,
      body: { name: 'Walk', kind: 'health_walk', venueId: venue.body.id, schedule },
    });
    expect(group.body).toMatchObject({ public: false, publicId: null });
    const stillNot = await t.request('PATCH', `/api/v1/groups/${group.body.id}`, { token: t.clp.token, body: PUBLIC });
    expect(stillNot.status).toBe(422);
    expect(stillNot.body.error.details.problems).toEqual(["the venue's address", "the venue's postcode"]);
    expect((await t.request('GET', `/api/v1/groups/${group.body.id}`, { token: t.clp.token })).body.public).toBe(false);
    expect((await t.request('PATCH', `/api/v1/venues/${venue.body.id}`, { token: t.clp.token, body: { postcode: 'XX1 2345' } })).status).toBe(400);
    expect((await t.request('PATCH', `/api/v1/groups/${group.body.id}`, { token: t.clp.token, body: { publicSummary: 'Too short' } })).status).toBe(400);
    await t.request('PATCH', `/api/v1/venues/${venue.body.id}`, { token: t.clp.token, body: { address: '1 Saracen Street, Glasgow', postcode: 'G22 5AB' } });
    const made = await t.request('PATCH', `/api/v1/groups/${group.body.id}`, { token: t.clp.token, body: PUBLIC });
    expect(made.status, made.text).toBe(200);
    expect(made.body.publicId).toMatch(/^[0-9a-f-]{36}$/);
    // Its id in directories never changes, even if it is taken down and published again.
    await t.request('PATCH', `/api/v1/groups/${group.body.id}`, { token: t.clp.token, body: { public: false } });
    expect((await t.request('PATCH', `/api/v1/groups/${group.body.id}`, { token: t.clp.token, body: { public: true } })).body.publicId).toBe(
      made.body.publicId,
    );
  });

  it('/whats-on lists public sessions with schema.org Events (cancelled, moved), no cookie, public caching with an ETag; never a private group or a person', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { walk } = await seed(t);
    const sessions = (await t.request('GET', `/api/v1/groups/${walk.id}/sessions?from=2027-03-01&to=2027-04-30`, { token: t.clp.token })).body.items;
    await t.request('PATCH', `/api/v1/sessions/${sessions[1].id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Amira is away; storm' } });
    await t.request('PATCH', `/api/v1/sessions/${sessions[4].id}`, { token: t.clp.token, body: { startsAt: '2027-03-30T14:00:00+01:00' } });
    const res = await anon(t, '/whats-on');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = res.headers.get('etag')!;
    const html = await res.text();
    expect(html).toContain('Possilpark Health Walk');
    for (const never of ['Promising Links', 'Tuesday walk (CLP list)', 'Amira', 'Brian', 'Zebedee', '900111', 'storm', 'Places', 'enrolled'])
      expect(html, never).not.toContain(never);
    const events = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
    expect(events).toHaveLength(8); // 2 Mar to 20 Apr: eight Tuesdays, as the coming 8 weeks
    expect(events[0]).toMatchObject({
      '@type': 'Event',
      name: 'Possilpark Health Walk',
      startDate: '2027-03-02T10:00:00+00:00',
      endDate: '2027-03-02T11:00:00+00:00',
      eventStatus: 'https://schema.org/EventScheduled',
      location: {
        '@type': 'Place',
        name: 'Possilpark Library',
        address: { '@type': 'PostalAddress', streetAddress: '127 Allander Street', addressLocality: 'Glasgow', postalCode: 'G22 5JJ', addressCountry: 'GB' },
      },
    });
    expect(events[1]).toMatchObject({ startDate: '2027-03-09T10:00:00+00:00', eventStatus: 'https://schema.org/EventCancelled' });
    expect(events[4]).toMatchObject({
      startDate: '2027-03-30T14:00:00+01:00',
      eventStatus: 'https://schema.org/EventRescheduled',
      previousStartDate: '2027-03-30T10:00:00+01:00',
    });
    // A crawler asking again with the ETag is told nothing changed; a change gives a new one.
    expect((await anon(t, '/whats-on', { 'if-none-match': etag })).status).toBe(304);
    await t.request('PATCH', `/api/v1/sessions/${sessions[2].id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Rain' } });
    expect((await anon(t, '/whats-on', { 'if-none-match': etag })).status).toBe(200);
    // By practice code; another practice's code shows nothing of this one.
    await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { code: 'G12345' } });
    expect(await (await anon(t, '/whats-on?practice=G12345')).text()).toContain('Possilpark Health Walk');
    expect(await (await anon(t, '/whats-on?practice=G99999')).text()).not.toContain('Possilpark Health Walk');
  });

  it('Open Referral UK: the list and the service pass the published schema, and a weekly group across the March 2027 change has two schedule rows', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { walk } = await seed(t);
    const oruk = orukValidator();
    // The check can fail: a service without its id and status is refused by the schema.
    expect(oruk.service({ name: 'Walk' })).not.toEqual([]);
    const list = await anon(t, '/openreferral/services');
    expect(list.headers.get('cache-control')).toBe('public, max-age=300');
    const page = (await list.json()) as any;
    expect(oruk.page(page)).toEqual([]);
    expect(page).toMatchObject({ total_items: 1, page: 1, page_number: 1, first_page: true, last_page: true, empty: false });
    expect(page.contents.map(oruk.listItem)).toEqual([[]]);
    expect(page.contents[0]).toMatchObject({ id: walk.publicId, name: 'Possilpark Health Walk', status: 'active' });
    const service = (await (await anon(t, `/openreferral/services/${walk.publicId}`)).json()) as any;
    expect(oruk.service(service)).toEqual([]);
    expect(service.schedules.map((s: any) => [s.valid_from, s.valid_to, s.freq, s.byday, s.opens_at, s.closes_at])).toEqual([
      ['2027-03-02', '2027-03-27', 'WEEKLY', 'TU', '10:00:00+00:00', '11:00:00+00:00'],
      ['2027-03-28', '2027-06-29', 'WEEKLY', 'TU', '10:00:00+01:00', '11:00:00+01:00'],
    ]);
    expect(service.service_at_locations[0].location.addresses[0]).toMatchObject({ address_1: '127 Allander Street', city: 'Glasgow', postal_code: 'G22 5JJ' });
    expect(service.phones).toEqual([expect.objectContaining({ number: '0141 232 1234' })]);
    // Stable: the same ids on every read.
    expect(await (await anon(t, `/openreferral/services/${walk.publicId}`)).json()).toEqual(service);
    expect(JSON.stringify(service)).not.toMatch(/Promising|Amira|Brian|CLP list/);
    expect((await anon(t, '/openreferral/services/00000000-0000-8000-8000-000000000000')).status).toBe(404);
    expect((await anon(t, '/openreferral/services?per_page=1000')).status).toBe(400);
  });

  it('the public calendar of a public group, and nothing for a private one', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { walk, links } = await seed(t);
    const res = await anon(t, `/whats-on/groups/${walk.id}.ics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(events.length).toBeGreaterThan(10);
    expect(events[0]!.getFirstPropertyValue('summary')).toBe('Possilpark Health Walk');
    expect(text).not.toMatch(/Places taken|enrolled|Facilitator|Amira|CLP list/);
    expect((await anon(t, `/whats-on/groups/${links.id}.ics`)).status).toBe(404);
  });

  it('the ALISS record: days and times in words with the exceptions, and what ALISS would refuse', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { walk, links } = await seed(t);
    const sessions = (await t.request('GET', `/api/v1/groups/${walk.id}/sessions?from=2027-03-01&to=2027-04-30`, { token: t.clp.token })).body.items;
    await t.request('PATCH', `/api/v1/sessions/${sessions[5].id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Easter' } });
    const r = await t.request('GET', `/api/v1/groups/${walk.id}/aliss`, { token: t.clp.token });
    expect(r.status).toBe(200);
    expect(r.body.problems).toEqual([]);
    expect(r.body.record).toMatchObject({
      name: 'Possilpark Health Walk',
      phone: '0141 232 1234',
      url: 'https://possilpark.example.org/walks',
      locations: [{ name: 'Possilpark Library', address: '127 Allander Street, Glasgow', postcode: 'G22 5JJ' }],
      categories: ['Walking', 'Physical activity'],
    });
    expect(r.body.record.description).toContain('Every Tuesday, 10:00 to 11:00, from 2 Mar 2027 until 29 Jun 2027.');
    expect(r.body.record.description).toContain('Not on Tuesday 6 April 2027 (cancelled).');
    const priv = await t.request('GET', `/api/v1/groups/${links.id}/aliss`, { token: t.clp.token });
    expect(priv.body.problems).toEqual(expect.arrayContaining([expect.stringContaining('not public'), expect.stringContaining('a public name')]));
    expect((await t.request('GET', `/api/v1/groups/${walk.id}/aliss`, { token: t.staff.token })).status).toBe(403);
  });

  it('a sweep of every public answer finds no person, number, private group or internal name, and no cookie', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { walk, links } = await seed(t);
    await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { code: 'G12345' } });
    const service = (await (await anon(t, '/openreferral/services')).json()) as { contents: { id: string }[] };
    const paths = [
      '/whats-on',
      '/whats-on?practice=G12345',
      `/whats-on/groups/${walk.id}.ics`,
      `/whats-on/groups/${links.id}.ics`,
      '/openreferral/services',
      '/openreferral/services?page=2&per_page=1',
      ...service.contents.map((s) => `/openreferral/services/${s.id}`),
    ];
    for (const path of paths) {
      const res = await anon(t, path);
      expect(res.headers.get('set-cookie'), path).toBeNull();
      const text = await res.text();
      for (const never of ['Amira', 'Brian', 'Zebedee', '7700', '447700', 'Promising Links', 'CLP list', 'clp@', 'staff@', 'admin@'])
        expect(text, `${path}: ${never}`).not.toContain(never);
    }
  });

  it('public routes are rate-limited per address', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seed(t);
    let last = 0;
    for (let i = 0; i < 121; i++) last = (await anon(t, '/openreferral/services')).status;
    expect(last).toBe(429);
    // Only the public pages: the same address still signs in, reads the API and opens its pages.
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(200);
    expect((await t.app.request('/login')).status).toBe(200);
    expect((await t.app.request('/today', { headers: { cookie: `clg_session=${t.clp.token}` } })).status).toBe(200);
  });
});
