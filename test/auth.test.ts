import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD } from './helpers/test-app.js';

describe('signing in', () => {
  it('gives a bearer token and an HttpOnly SameSite cookie that both work', async () => {
    const t = await makeTestApp();
    const res = await t.request('POST', '/api/v1/auth/login', { body: { email: 'CLP@possil.test', password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'clp@possil.test', role: 'clp' });
    expect(res.body.user.passwordHash).toBeUndefined();
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/clg_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);

    expect((await t.request('GET', '/api/v1/auth/me', { token: res.body.token })).body.email).toBe('clp@possil.test');
    const viaCookie = await t.request('GET', '/api/v1/venues', { headers: { cookie: cookie.split(';')[0]! } });
    expect(viaCookie.status).toBe(200);
  });

  it('refuses a wrong password or unknown email with the same 401', async () => {
    const t = await makeTestApp();
    const wrong = await t.request('POST', '/api/v1/auth/login', { body: { email: 'clp@possil.test', password: 'nope nope nope' } });
    const unknown = await t.request('POST', '/api/v1/auth/login', { body: { email: 'ghost@possil.test', password: TEST_PASSWORD } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('slows repeated failures with 429 and Retry-After, even for the right password, then lets in later', async () => {
    const t = await makeTestApp();
    for (let i = 0; i < 5; i++) {
      expect((await t.request('POST', '/api/v1/auth/login', { body: { email: 'clp@possil.test', password: `guess-${i}-guess` } })).status).toBe(401);
    }
    const locked = await t.request('POST', '/api/v1/auth/login', { body: { email: 'clp@possil.test', password: TEST_PASSWORD } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_requests');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    t.clock.advance(10 * 60_000);
    expect((await t.request('POST', '/api/v1/auth/login', { body: { email: 'clp@possil.test', password: TEST_PASSWORD } })).status).toBe(200);
  });

  it('a flood from one address is refused at the door, in the shared shape and on the page, while a browser that signed in before still gets in', async () => {
    const t = await makeTestApp();
    const from = { 'cf-connecting-ip': '203.0.113.9' };
    // Signed in once from that address: this browser holds a device cookie for the CLP's account.
    const first = await t.request('POST', '/api/v1/auth/login', { headers: from, body: { email: 'clp@possil.test', password: TEST_PASSWORD } });
    const device = first.headers.get('set-cookie')!.match(/clg_device=[^;]+/)![0];
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) {
      status = (await t.request('POST', '/api/v1/auth/login', { headers: from, body: { email: `nobody${i}@possil.test`, password: 'not the password' } }))
        .status;
    }
    expect(status).toBe(429);
    const api = await t.request('POST', '/api/v1/auth/login', { headers: from, body: { email: 'staff@possil.test', password: TEST_PASSWORD } });
    expect(api.status).toBe(429);
    expect(api.body.error).toMatchObject({ code: 'too_many_requests', details: { retryAfterSeconds: expect.any(Number) } });
    expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
    const page = await t.app.request('/login', {
      method: 'POST',
      headers: { ...from, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: 'email=staff%40possil.test&password=x',
    });
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('Too many failed sign-ins from here');
    const mine = await t.request('POST', '/api/v1/auth/login', {
      headers: { ...from, cookie: device },
      body: { email: 'clp@possil.test', password: TEST_PASSWORD },
    });
    expect(mine.status).toBe(200);
  });

  it('logout revokes the token at once', async () => {
    const t = await makeTestApp();
    expect((await t.request('POST', '/api/v1/auth/logout', { token: t.clp.token })).status).toBe(204);
    const after = await t.request('GET', '/api/v1/venues', { token: t.clp.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('expires sessions after their lifetime', async () => {
    const t = await makeTestApp();
    t.clock.advance(381 * 24 * 3_600_000);
    expect((await t.request('GET', '/api/v1/venues', { token: t.clp.token })).status).toBe(401);
  });

  it('answers bad login input with 400 and zod details, and no body with 400', async () => {
    const t = await makeTestApp();
    const res = await t.request('POST', '/api/v1/auth/login', { body: { email: 42 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['email', 'password']));
    const malformed = await t.request('POST', '/api/v1/auth/login', { body: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_input');
  });

  it('keeps every API route behind sign-in', async () => {
    const t = await makeTestApp();
    for (const path of ['/api/v1/users', '/api/v1/venues', '/api/v1/groups', '/api/v1/sessions', '/api/v1/closures']) {
      const res = await t.request('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect((await t.request('GET', '/api/v1/venues', { token: 'made-up-token' })).status).toBe(401);
  });
});
