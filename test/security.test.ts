import { describe, expect, it } from 'vitest';
import { csrfFor } from '../src/auth/csrf.js';
import { sha256Hex } from '../src/lib/crypto.js';
import { safeNext } from '../src/sign-in/sign-in-pages.js';
import { makeTestApp, seedGroup, TEST_PASSWORD } from './helpers/test-app.js';

describe('the session cookie cannot be used to forge API writes', () => {
  it('a cookie-authenticated POST needs our Origin and the CSRF token; bearer calls need neither', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const person = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Amira', smsConsent: false } });
    const cookie = `clg_session=${t.admin.token}`;
    const erase = (headers: Record<string, string>) => t.request('POST', `/api/v1/participants/${person.body.id}/erase`, { headers: { cookie, ...headers } });
    // A same-site page on another port posting a form: refused, nothing erased.
    const forged = await erase({ origin: 'http://groups.example.org:8080', 'content-type': 'application/x-www-form-urlencoded' });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('forbidden');
    expect((await erase({ origin: 'https://groups.example.org' })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/participants/${person.body.id}`, { token: t.clp.token })).body.givenName).toBe('Amira');
    // Our own page, with the session's token: allowed. Reads by cookie stay as they were.
    const csrf = await csrfFor(await sha256Hex(t.admin.token));
    expect((await t.request('GET', '/api/v1/groups', { headers: { cookie } })).status).toBe(200);
    expect((await erase({ origin: 'https://groups.example.org', 'x-csrf-token': csrf })).status).toBe(200);
    expect((await t.request('POST', '/api/v1/venues', { token: t.admin.token, body: { name: 'Hall' } })).status).toBe(201);
  });
});

describe('sign-in only returns to our own pages', () => {
  it.each([
    ['/today', '/today'],
    ['/groups/3?tab=x', '/groups/3?tab=x'],
    ['//evil.example', '/today'],
    ['/\\evil.example', '/today'],
    ['/\r\nX-Injected: 1', '/today'],
    ['https://evil.example/', '/today'],
    ['/%0d%0aSet-Cookie:x=1', '/%0d%0aSet-Cookie:x=1'],
  ])('next=%j goes to %j', (next, where) => {
    expect(safeNext(next)).toBe(where);
  });

  it('a login with a header-breaking next answers a redirect home, not a 500', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ email: 'clp@possil.test', password: TEST_PASSWORD, next: '/\r\nX-Injected: 1' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/today');
    expect(res.headers.get('x-injected')).toBeNull();
    const offsite = await t.app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ email: 'clp@possil.test', password: TEST_PASSWORD, next: '/\\evil.example' }).toString(),
    });
    expect(offsite.headers.get('location')).toBe('/today');
  });
});

describe('text inputs refuse control characters, hidden formatting and invalid Unicode', () => {
  const BAD = [
    'Amira\u0000',
    'Ami\u0007ra',
    'Amira\r\nX: y',
    '\ud800Amira',
    'Amira\udfff',
    'Ami\u009bra',
    // A bidi override makes "Amira\u202Etxt.exe" read as another name; zero-width characters hide in plain sight.
    'Amira\u202Etxt.exe',
    '\u2066Amira\u2069',
    'Ami\u200Bra',
    'Ami\u200Dra',
    'Ami\uFEFFra',
  ];

  it('every text field of every write route answers 400 and stores nothing', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, venueId } = await seedGroup(t);
    const [session] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-10`, { token: t.clp.token })).body.items;
    const cases: [string, string, (bad: string) => unknown, string?][] = [
      ['POST', '/api/v1/participants', (bad) => ({ givenName: bad, smsConsent: false })],
      ['POST', '/api/v1/participants', (bad) => ({ givenName: 'Amira', familyName: bad, smsConsent: false })],
      ['POST', '/api/v1/participants', (bad) => ({ givenName: 'Amira', accessNeeds: bad.replace('\r\n', '\u0001'), smsConsent: false })],
      ['POST', '/api/v1/venues', (bad) => ({ name: bad })],
      ['PATCH', `/api/v1/venues/${venueId}`, (bad) => ({ meetingPoint: bad })],
      ['PATCH', `/api/v1/groups/${group.id}`, (bad) => ({ name: bad })],
      ['PATCH', `/api/v1/groups/${group.id}`, (bad) => ({ smsLabel: bad })],
      ['PATCH', '/api/v1/practice', (bad) => ({ name: bad }), 'admin'],
      ['POST', '/api/v1/calendar-feeds', (bad) => ({ scope: 'practice', name: bad })],
      ['PATCH', `/api/v1/sessions/${session.id}`, (bad) => ({ status: 'cancelled', reason: bad })],
      ['POST', `/api/v1/sessions/${session.id}/messages`, (bad) => ({ body: bad.replace('\r\n', '\u0002') })],
      ['POST', '/api/v1/users', (bad) => ({ email: 'new@possil.test', name: bad, role: 'clp', password: 'long enough password' }), 'admin'],
    ];
    for (const [method, path, body, who] of cases) {
      for (const bad of BAD) {
        const res = await t.request(method, path, { token: who === 'admin' ? t.admin.token : t.clp.token, body: body(bad) });
        expect(res.status, `${method} ${path} ${JSON.stringify(body(bad))}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_input');
      }
    }
    expect((await t.request('GET', '/api/v1/participants', { token: t.clp.token })).body.items).toEqual([]);
    expect((await t.request('GET', '/api/v1/practice', { token: t.clp.token })).body.name).toBe('Possilpark Health Centre');
    // A multi-line field keeps its newlines; a one-line field is one line.
    const ok = await t.request('POST', '/api/v1/participants', {
      token: t.clp.token,
      body: { givenName: 'Amira', accessNeeds: 'Wheelchair\nArabic interpreter', smsConsent: false },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.accessNeeds).toBe('Wheelchair\nArabic interpreter');
    // The joiners a script needs stay: a Farsi name written with a zero-width non-joiner is a name.
    const farsi = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'علی\u200cرضا', smsConsent: false } });
    expect([farsi.status, farsi.body.givenName]).toEqual([201, 'علی\u200cرضا']);
  });
});
