import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';
import { inboundText } from './helpers/twilio-webhook.js';

async function programme(t: TestApp) {
  await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
}

const inbound = (t: TestApp, from: string, body: string, to = '+447700900999') => inboundText(t, from, body, { To: to });

describe('many practices on one deployment', () => {
  it('a programme admin creates a practice; a CLP works in two and switches; every other practice stays out of reach', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    expect((await t.request('POST', '/api/v1/practices', { token: t.admin.token, body: { name: 'Springburn' } })).status).toBe(403);
    await programme(t);
    const made = await t.request('POST', '/api/v1/practices', { token: t.admin.token, body: { name: 'Springburn Health Centre', code: 'G43055' } });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ id: expect.any(Number), name: 'Springburn Health Centre', code: 'G43055' });
    expect((await t.request('POST', '/api/v1/practices', { token: t.admin.token, body: { name: 'Copy', code: 'G43055' } })).status).toBe(409);

    // The admin (now a member of the new practice) adds the existing CLP there: a membership, not a new account.
    await t.request('PUT', '/api/v1/auth/practice', { token: t.admin.token, body: { practiceId: made.body.id } });
    const added = await t.request('POST', '/api/v1/users', { token: t.admin.token, body: { email: 'clp@possil.test', name: 'Same CLP', role: 'clp' } });
    expect(added.status).toBe(201);
    expect(added.body.id).toBe(t.clp.id);
    expect((await t.request('POST', '/api/v1/users', { token: t.admin.token, body: { email: 'clp@possil.test', name: 'Same CLP', role: 'clp' } })).status).toBe(
      409,
    );
    const springGroup = await seedGroup(t, {}, t.admin.token);

    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: 'clp@possil.test', password: TEST_PASSWORD } });
    expect(login.body.practices.map((p: { name: string }) => p.name)).toEqual(['Possilpark Health Centre', 'Springburn Health Centre']);
    const token = login.body.token as string;
    expect((await t.request('GET', '/api/v1/practices', { token })).body.items).toHaveLength(2);
    // Acting in Possilpark, Springburn's group is not found; after switching it is, and Possilpark's is not.
    const possilGroup = await seedGroup(t, {}, token);
    expect((await t.request('GET', `/api/v1/groups/${springGroup.group.id}`, { token })).status).toBe(404);
    const switched = await t.request('PUT', '/api/v1/auth/practice', { token, body: { practiceId: made.body.id } });
    expect(switched.status).toBe(200);
    expect(switched.body.practice).toMatchObject({ id: made.body.id, role: 'clp' });
    expect((await t.request('GET', `/api/v1/groups/${springGroup.group.id}`, { token })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/groups/${possilGroup.group.id}`, { token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/venues/${possilGroup.venueId}`, { token })).status).toBe(404);
    // A practice the user is not in: 404, and the session stays where it was.
    expect((await t.request('PUT', '/api/v1/auth/practice', { token, body: { practiceId: t.otherPractice.id } })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/auth/me', { token })).body.practice.id).toBe(made.body.id);

    // Closing the CLP's membership here signs them out of this practice at once.
    await t.request('PATCH', `/api/v1/users/${t.clp.id}`, { token: t.admin.token, body: { disabled: true } });
    expect((await t.request('GET', '/api/v1/groups', { token })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(200);
  });

  it("a number that is a participant in two practices reaches both inboxes; a practice's own number reaches only it", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    for (const token of [t.clp.token, t.otherAdmin.token]) {
      const p = await t.request('POST', '/api/v1/participants', { token, body: { givenName: 'Amira', phone: '07700 900123', smsConsent: true } });
      expect(p.status).toBe(201);
    }
    await inbound(t, '+447700900123', 'Running late, sorry');
    const inboxes = async () =>
      Promise.all(
        [t.admin.token, t.otherAdmin.token].map(async (token) =>
          (await t.request('GET', '/api/v1/messages?direction=inbound', { token })).body.items.map((m: { body: string }) => m.body),
        ),
      );
    expect(await inboxes()).toEqual([['Running late, sorry'], ['Running late, sorry']]);
    await t.request('PATCH', '/api/v1/practice', { token: t.otherAdmin.token, body: { smsFrom: '+447700900888' } });
    await inbound(t, '+447700900123', 'Only for Govan', '+447700900888');
    expect(await inboxes()).toEqual([['Running late, sorry'], ['Only for Govan', 'Running late, sorry']]);
  });

  it('programme reports cover chosen practices by code, hold no names or numbers, and show small counts as "<5"', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await programme(t);
    await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { code: 'G43001' } });
    const { group } = await seedGroup(t);
    const people = [];
    for (const [i, name] of ['Zebedee', 'Ysolde', 'Xanthe'].entries()) {
      const p = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: name, phone: `07700 90055${i}`, smsConsent: true } });
      await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id, referralSource: 'gp' } });
      people.push(p.body.id);
    }
    const [s] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-05`, { token: t.clp.token })).body.items;
    t.clock.set('2027-03-02T10:30:00Z');
    await t.request('PUT', `/api/v1/sessions/${s.id}/register`, {
      token: t.clp.token,
      body: { entries: people.map((id) => ({ participantId: id, status: 'present' })) },
    });
    const report = await t.request('GET', `/api/v1/programme/reports/attendance?from=2027-03-01&to=2027-03-31&practiceIds=${t.practice.id}`, {
      token: t.admin.token,
    });
    expect(report.status).toBe(200);
    expect(report.body.practices).toEqual([
      expect.objectContaining({
        practiceCode: 'G43001',
        sessionsDelivered: 1,
        participants: '<5',
        attendances: '<5',
        newEnrolments: '<5',
        attendanceRate: null,
      }),
    ]);
    const all = await t.request('GET', '/api/v1/programme/reports/attendance?from=2027-03-01&to=2027-03-31', { token: t.admin.token });
    expect(all.body.practices).toHaveLength(2);
    const monitoring = await t.request('GET', '/api/v1/programme/reports/monitoring.csv', { token: t.admin.token });
    const text = await monitoring.text;
    expect(text).toContain('G43001,Physical activity / health walk,gp,<5,<5');
    for (const body of [JSON.stringify(report.body), JSON.stringify(all.body), text]) {
      expect(body).not.toMatch(/Zebedee|Ysolde|Xanthe|7700900/);
    }
    expect((await t.request('GET', '/api/v1/programme/reports/attendance', { token: t.clp.token })).status).toBe(403);
  });
});

describe('pages for practices and users', () => {
  it('an admin manages users on a page: add, change role, disable, and hand over a one-time reset link', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { csrfFor } = await import('../src/auth/csrf.js');
    const { sha256Hex } = await import('../src/lib/crypto.js');
    const csrf = await csrfFor(await sha256Hex(t.admin.token));
    const headers = { cookie: `clg_session=${t.admin.token}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' };
    const post = (path: string, fields: Record<string, string> = {}) =>
      t.app.request(path, { method: 'POST', headers, body: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
    const page = await t.app.request('/users', { headers });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('clp@possil.test');
    expect(html).toContain('at Possilpark Health Centre');
    expect((await post('/users', { email: 'new@possil.test', name: 'Nia New', role: 'staff', password: 'a long new password' })).status).toBe(303);
    const nia = (await t.request('GET', '/api/v1/users', { token: t.admin.token })).body.items.find((u: { email: string }) => u.email === 'new@possil.test');
    expect(nia.role).toBe('staff');
    expect((await post(`/users/${nia.id}/role`, { role: 'clp' })).status).toBe(303);
    expect((await post(`/users/${nia.id}/disable`)).status).toBe(200); // asks first
    expect((await post(`/users/${nia.id}/disable`, { confirmed: 'yes' })).status).toBe(303);
    expect((await t.request('POST', '/api/v1/auth/login', { body: { email: 'new@possil.test', password: 'a long new password' } })).status).toBe(401);
    await post(`/users/${nia.id}/enable`);
    const reset = await post(`/users/${nia.id}/reset`);
    const link = (await reset.text()).match(/\/reset-password\?code=([A-Za-z0-9_-]+)/)![1]!;
    expect((await t.app.request('/reset-password?code=' + link)).status).toBe(200);
    const set = await t.app.request('/reset-password', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: link, password: 'chosen by Nia herself' }).toString(),
    });
    expect(set.status).toBe(303);
    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: 'new@possil.test', password: 'chosen by Nia herself' } });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('clp');
    // The code works once.
    expect((await t.request('POST', '/api/v1/auth/password-reset', { body: { code: link, newPassword: 'yet another password' } })).status).toBe(404);
    expect((await t.app.request('/users', { headers: { cookie: `clg_session=${t.clp.token}` } })).status).toBe(403);
  });

  it('someone in two practices sees which one they are in and switches on a page', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await t.db
      .insertInto('memberships')
      .values({ user_id: t.clp.id, practice_id: t.otherPractice.id, role: 'clp', disabled_at: null, created_at: 0 })
      .execute();
    const { csrfFor } = await import('../src/auth/csrf.js');
    const { sha256Hex } = await import('../src/lib/crypto.js');
    const headers = { cookie: `clg_session=${t.clp.token}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' };
    const today = await (await t.app.request('/today', { headers })).text();
    expect(today).toContain('at Possilpark Health Centre');
    expect(today).toContain('Switch practice');
    const list = await (await t.app.request('/practices', { headers })).text();
    expect(list).toContain('Work in Govan Health Centre');
    const csrf = await csrfFor(await sha256Hex(t.clp.token));
    const moved = await t.app.request('/practices/switch', {
      method: 'POST',
      headers,
      body: new URLSearchParams({ _csrf: csrf, practiceId: String(t.otherPractice.id) }).toString(),
    });
    expect(moved.status).toBe(303);
    expect(await (await t.app.request('/today', { headers })).text()).toContain('at Govan Health Centre');
  });
});

describe('nothing half-written', () => {
  it('a practice whose first admin cannot be added is not created at all', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { addPractice } = await import('../src/practice/practices-service.js');
    await expect(addPractice(t.db, t.clock, 999_999, { name: 'Orphan Health Centre', code: 'G49999' })).rejects.toThrow();
    expect(await t.db.selectFrom('practices').select('id').where('name', '=', 'Orphan Health Centre').execute()).toEqual([]);
  });
});
