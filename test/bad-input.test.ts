import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

const BODIES: unknown[] = [
  null,
  [],
  'text',
  42,
  {},
  { id: -1 },
  { name: null, givenName: {}, phone: 7700900123, scope: [], entries: 'all', startsAt: '2027-13-45T25:61', status: 'cancelled', reason: '' },
  { entries: [{ participantId: '1; DROP TABLE users', status: 'present' }] },
  { entries: [{ participantId: 1e308, status: 'present' }] },
  { schedule: { frequency: 'weekly', weekdays: 'tue', startTime: 10, durationMinutes: -5, startDate: '2027-02-29' } },
  { participantId: 9007199254740993, referralSource: 'gp' },
  { startsAt: 'ZZZ', endsAt: '2027-03-03T10:00:00Z', venueId: 'x' },
  { body: '', scope: 'group', groupId: 'abc' },
  { email: 'a'.repeat(400), password: 'b'.repeat(2000) },
];

/** Every route with junk: a clear 4xx in the shared shape, never a 500, and nothing written. */
describe('bad input never causes a 500', () => {
  it('answers junk on every write route with 4xx in the error shape', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, venueId } = await seedGroup(t);
    const [session] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-10`, { token: t.clp.token })).body.items;
    const person = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Amira', smsConsent: false } });
    const routes: [string, string][] = [
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/users'],
      ['POST', '/api/v1/venues'],
      ['PATCH', `/api/v1/venues/${venueId}`],
      ['POST', '/api/v1/groups'],
      ['PATCH', `/api/v1/groups/${group.id}`],
      ['POST', `/api/v1/groups/${group.id}/sessions`],
      ['PATCH', `/api/v1/sessions/${session.id}`],
      ['PUT', `/api/v1/sessions/${session.id}/register`],
      ['POST', `/api/v1/sessions/${session.id}/messages`],
      ['POST', '/api/v1/participants'],
      ['PATCH', `/api/v1/participants/${person.body.id}`],
      ['POST', `/api/v1/groups/${group.id}/enrolments`],
      ['POST', '/api/v1/closures'],
      ['POST', '/api/v1/calendar-feeds'],
    ];
    const before = await t.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [method, path] of routes) {
      for (const body of BODIES) {
        const res = await t.request(method, path, { token: t.admin.token, body: body === undefined ? undefined : JSON.stringify(body) });
        const where = `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`;
        expect(res.status, where).toBeGreaterThanOrEqual(400);
        expect(res.status, where).toBeLessThan(500);
        expect(res.body?.error?.code, where).toEqual(expect.any(String));
      }
    }
    for (const path of [
      '/api/v1/groups/abc',
      '/api/v1/sessions/0',
      '/api/v1/participants/-3',
      '/api/v1/sessions?from=2027-99-01',
      '/api/v1/reports/attendance?groupId=x',
      '/api/v1/messages?limit=100000',
      '/api/v1/participants?limit=abc',
    ]) {
      const res = await t.request('GET', path, { token: t.admin.token });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    const after = await t.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await t.db.selectFrom('venues').selectAll().execute()).length).toBe(1);
    expect((await t.db.selectFrom('participants').selectAll().execute()).length).toBe(1);
  });
});
