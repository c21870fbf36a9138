import { describe, expect, it } from 'vitest';
import { makeTestApp } from './helpers/test-app.js';
import { pagesAs } from './helpers/pages.js';

describe('users', () => {
  it('an admin adds a CLP who can then sign in', async () => {
    const t = await makeTestApp();
    const res = await t.request('POST', '/api/v1/users', {
      token: t.admin.token,
      body: { email: 'aisha@possil.test', name: 'Aisha Khan', role: 'clp', password: 'a long enough password' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(Number), email: 'aisha@possil.test', role: 'clp' });
    expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2|password/);
    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: 'aisha@possil.test', password: 'a long enough password' } });
    expect(login.status).toBe(200);
  });

  it('only admins add users; staff cannot list them', async () => {
    const t = await makeTestApp();
    const body = { email: 'x@possil.test', name: 'X', role: 'admin', password: 'a long enough password' };
    expect((await t.request('POST', '/api/v1/users', { token: t.clp.token, body })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/users', { token: t.staff.token })).status).toBe(403);
    const list = await t.request('GET', '/api/v1/users', { token: t.admin.token });
    expect(list.body.items.map((u: { email: string }) => u.email).sort()).toEqual(['admin@possil.test', 'clp@possil.test', 'staff@possil.test']);
  });

  it('refuses duplicates, unknown roles and short passwords, writing nothing', async () => {
    const t = await makeTestApp();
    const dup = await t.request('POST', '/api/v1/users', {
      token: t.admin.token,
      body: { email: 'CLP@possil.test', name: 'Again', role: 'clp', password: 'a long enough password' },
    });
    expect(dup.status).toBe(409);
    const role = await t.request('POST', '/api/v1/users', {
      token: t.admin.token,
      body: { email: 'y@possil.test', name: 'Y', role: 'superuser', password: 'a long enough password' },
    });
    expect(role.status).toBe(400);
    expect(role.body.error.details[0].path).toBe('role');
    const short = await t.request('POST', '/api/v1/users', {
      token: t.admin.token,
      body: { email: 'z@possil.test', name: 'Z', role: 'clp', password: 'short' },
    });
    expect(short.status).toBe(400);
    const count = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
  });

  it("never shows another practice's users", async () => {
    const t = await makeTestApp();
    expect((await t.request('GET', `/api/v1/users/${t.otherAdmin.id}`, { token: t.admin.token })).status).toBe(404);
  });
});

describe('the add-user form', () => {
  it('comes back with the problems beside the fields and what was typed, never the schema names', async () => {
    const t = await makeTestApp();
    const admin = await pagesAs(t, t.admin.token);
    const bad = await admin.post('/users', { email: 'not-an-email', name: 'Nia New', role: 'clp', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#email"');
    expect(bad.html).toContain('href="#password"');
    expect(bad.html).toContain('value="Nia New"');
    expect(bad.html).toContain('<title>Error: Users of');
    expect(bad.html).not.toMatch(/Invalid email|Too small|Some answers need fixing/);
    const ok = await admin.post('/users', { email: 'nia@possil.test', name: 'Nia New', role: 'staff', password: 'a long new password' });
    expect(ok.status).toBe(303);
  });

  it('a new account without a password comes back to the form with the problem at the password, nothing typed lost', async () => {
    const t = await makeTestApp();
    const admin = await pagesAs(t, t.admin.token);
    const page = await admin.post('/users', { email: 'new.person@possil.test', name: 'New Person', role: 'clp', password: '' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('<title>Error: Users of');
    expect(page.html).toContain('href="#password"');
    expect(page.html).toContain('id="password-error"');
    expect(page.html).toContain('value="new.person@possil.test"');
    expect(page.html).toContain('value="New Person"');
    expect(page.html).not.toContain('Please check');
    // Every form leaves checking to the server, so no browser pop-up stands in for the summary.
    for (const tag of page.html.match(/<form[^>]*>/g)!) expect(tag).toContain('novalidate');
    const again = await admin.post('/users', { email: 'clp@possil.test', name: 'Someone', role: 'clp', password: '' });
    expect(again.status).toBe(400);
    expect(again.html).toContain('already works in Possilpark Health Centre');
  });

  it('disabling a user asks first, and only the confirmed post signs them out', async () => {
    const t = await makeTestApp();
    const admin = await pagesAs(t, t.admin.token);
    const check = await admin.post(`/users/${t.clp.id}/disable`);
    expect(check.status).toBe(200);
    expect(check.html).toContain('Disable clp clp?');
    expect(check.html).toContain('signed out of Possilpark Health Centre at once');
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(200);
    const done = await admin.post(`/users/${t.clp.id}/disable`, { confirmed: 'yes' });
    expect(done.status).toBe(303);
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(401);
  });
});
