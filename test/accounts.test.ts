import { describe, expect, it } from 'vitest';
import { HashingGate } from '../src/auth/hashing-gate.js';
import { hashIterations } from '../src/lib/crypto.js';
import { createApp } from '../src/app.js';
import { makeTestApp, TEST_PASSWORD, testConfig, type TestApp } from './helpers/test-app.js';

const login = (t: TestApp, email: string, password: string, address: string) =>
  t.request('POST', '/api/v1/auth/login', { body: { email, password }, headers: { 'cf-connecting-ip': address } });

describe('sign-in throttling slows guessing without locking anyone out', () => {
  it("a stranger's wrong guesses slow only the stranger: the real user at their own address signs in", async () => {
    const t = await makeTestApp();
    for (let i = 0; i < 8; i++) await login(t, 'clp@possil.test', `guess-${i}-guess`, '203.0.113.9');
    expect((await login(t, 'clp@possil.test', `guess-x`, '203.0.113.9')).status).toBe(429);
    expect((await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.7')).status).toBe(200);
  });

  it('a guesser rotating addresses is bounded on the account, yet the browser that signed in before still signs in (device cookie)', async () => {
    const t = await makeTestApp();
    // The real CLP's phone signed in before, and keeps the device cookie it was given.
    const first = await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.7');
    const device = first.headers.get('set-cookie')!.match(/clg_device=([^;]+)/)![1]!;
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await login(t, 'clp@possil.test', `guess-${i}-guess`, `203.0.113.${i}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    // A browser the account has never seen waits too (OWASP's trade-off)…
    expect((await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.8')).status).toBe(429);
    // …but the phone that signed in before is not locked out by strangers.
    const phone = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'clp@possil.test', password: TEST_PASSWORD },
      headers: { 'cf-connecting-ip': '198.51.100.7', cookie: `clg_device=${device}` },
    });
    expect(phone.status).toBe(200);
    // A device cookie is for its own account only, and has its own small allowance.
    const stolen = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'admin@possil.test', password: 'guess-guess' },
      headers: { 'cf-connecting-ip': '203.0.113.200', cookie: `clg_device=${device}` },
    });
    expect(stolen.status).toBe(401);
    for (let i = 0; i < 5; i++)
      await t.request('POST', '/api/v1/auth/login', {
        body: { email: 'clp@possil.test', password: `phone-guess-${i}` },
        headers: { 'cf-connecting-ip': '198.51.100.7', cookie: `clg_device=${device}` },
      });
    const slowed = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'clp@possil.test', password: 'phone-guess-x' },
      headers: { 'cf-connecting-ip': '198.51.100.7', cookie: `clg_device=${device}` },
    });
    expect(slowed.status).toBe(429);
  });

  it('behind TRUST_PROXY=1 the client is the address the proxy saw: rotating the X-Forwarded-For it sends changes nothing', async () => {
    const t = await makeTestApp();
    const app = createApp({ db: t.db, clock: t.clock, config: { ...testConfig, trustProxy: 1 }, templates: t.templates });
    const viaProxy = (i: number) =>
      app.request('/api/v1/auth/login', {
        method: 'POST',
        // The client wrote the first entry; the proxy appended the address it really saw.
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${i}.${i}, 203.0.113.9` },
        body: JSON.stringify({ email: 'clp@possil.test', password: `guess-${i}-guess` }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await viaProxy(i)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
  });

  it('the wait escalates: after it is served one try goes through, and a wrong one doubles it', async () => {
    const t = await makeTestApp();
    for (let i = 0; i < 5; i++) expect((await login(t, 'clp@possil.test', `guess-${i}-guess`, '203.0.113.9')).status).toBe(401);
    const first = await login(t, 'clp@possil.test', 'guess-6', '203.0.113.9');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    t.clock.advance(1_500);
    expect((await login(t, 'clp@possil.test', 'guess-7', '203.0.113.9')).status).toBe(401);
    const second = await login(t, 'clp@possil.test', 'guess-8', '203.0.113.9');
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBe(2);
    t.clock.advance(2_500);
    expect((await login(t, 'clp@possil.test', TEST_PASSWORD, '203.0.113.9')).status).toBe(200);
  });

  it('guesses spread over many emails from one address are limited too', async () => {
    const t = await makeTestApp();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login(t, `person${i}@possil.test`, 'guess-guess', '203.0.113.50')).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    expect((await login(t, 'admin@possil.test', TEST_PASSWORD, '198.51.100.1')).status).toBe(200);
  });

  it('parallel guesses are counted atomically: no more than the limit are ever checked', async () => {
    const t = await makeTestApp();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(t, 'clp@possil.test', `parallel-${i}`, '203.0.113.77')));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(35);
  });

  it('the throttle table stays bounded: old windows are dropped', async () => {
    const t = await makeTestApp();
    for (let i = 0; i < 20; i++) await login(t, `p${i}@possil.test`, 'nope-nope', `192.0.2.${i}`);
    // Per (account, address), per address and per account.
    expect((await t.db.selectFrom('login_attempts').selectAll().execute()).length).toBe(60);
    t.clock.advance(16 * 60_000);
    await login(t, 'x@possil.test', 'nope-nope', '192.0.2.200');
    expect((await t.db.selectFrom('login_attempts').selectAll().execute()).length).toBe(3);
  });

  it('hashing rests as long as it worked, so a flood of sign-ins takes at most half a core', async () => {
    const gate = new HashingGate(1, 10, 0.5);
    const spans: [number, number][] = [];
    const work = () =>
      gate.run(async () => {
        const start = performance.now();
        await new Promise((r) => setTimeout(r, 20));
        spans.push([start, performance.now()]);
      });
    await Promise.all([work(), work(), work()]);
    // Each hash starts no sooner than its predecessor's length after it ended (a lower bound: a busy machine only adds to it).
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0] - spans[i - 1]![1]).toBeGreaterThanOrEqual(spans[i - 1]![1] - spans[i - 1]![0] - 2);
  });

  it('password hashing runs one at a time and refuses a flood beyond a short queue', async () => {
    const gate = new HashingGate(1, 2);
    let running = 0;
    let most = 0;
    const work = () =>
      gate.run(async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
      });
    const results = await Promise.allSettled(Array.from({ length: 6 }, work));
    expect(most).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
      'too_many_requests',
      'too_many_requests',
      'too_many_requests',
    ]);
  });
});

describe('accounts can be disabled and sessions ended', () => {
  it('disabling a user ends every session of theirs at once; an admin cannot disable themselves', async () => {
    const t = await makeTestApp();
    const second = (await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.2')).body.token;
    const res = await t.request('PATCH', `/api/v1/users/${t.clp.id}`, { token: t.admin.token, body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    for (const token of [t.clp.token, second]) expect((await t.request('GET', '/api/v1/groups', { token })).status).toBe(401);
    expect((await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.2')).status).toBe(401);
    expect((await t.request('PATCH', `/api/v1/users/${t.admin.id}`, { token: t.admin.token, body: { disabled: true } })).status).toBe(409);
    expect((await t.request('PATCH', `/api/v1/users/${t.otherAdmin.id}`, { token: t.admin.token, body: { disabled: true } })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/users/${t.staff.id}`, { token: t.clp.token, body: { role: 'admin' } })).status).toBe(401);
    const list = await t.request('GET', '/api/v1/users?disabled=include', { token: t.admin.token });
    expect(list.body.items.find((u: { id: number }) => u.id === t.clp.id).disabled).toBe(true);
    await t.request('PATCH', `/api/v1/users/${t.clp.id}`, { token: t.admin.token, body: { disabled: false, role: 'staff' } });
    const back = await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.2');
    expect(back.body.user.role).toBe('staff');
  });

  it('"sign out everywhere" ends every session; a password change ends the others', async () => {
    const t = await makeTestApp();
    const phone = (await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.3')).body.token;
    const laptop = (await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.4')).body.token;
    const change = await t.request('PUT', '/api/v1/auth/password', {
      token: laptop,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' },
    });
    expect(change.status).toBe(204);
    expect((await t.request('GET', '/api/v1/groups', { token: laptop })).status).toBe(200);
    for (const token of [phone, t.clp.token]) expect((await t.request('GET', '/api/v1/groups', { token })).status).toBe(401);
    expect(
      (await t.request('PUT', '/api/v1/auth/password', { token: laptop, body: { currentPassword: 'wrong-wrong', newPassword: 'another new password' } }))
        .status,
    ).toBe(403);
    const everywhere = await t.request('POST', '/api/v1/auth/logout-everywhere', { token: laptop });
    expect(everywhere.body.endedSessions).toBe(1);
    expect((await t.request('GET', '/api/v1/groups', { token: laptop })).status).toBe(401);
    expect((await login(t, 'clp@possil.test', 'a brand new password', '198.51.100.3')).status).toBe(200);
  });

  it('a hash made with fewer rounds is upgraded on the next sign-in, its parameters stored with it', async () => {
    const t = await makeTestApp();
    await t.db
      .updateTable('users')
      .set({ password_hash: await import('../src/lib/crypto.js').then((m) => m.hashPassword(TEST_PASSWORD, 500)) })
      .where('id', '=', t.clp.id)
      .execute();
    expect((await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.5')).status).toBe(200);
    const row = await t.db.selectFrom('users').select('password_hash').where('id', '=', t.clp.id).executeTakeFirstOrThrow();
    expect(hashIterations(row.password_hash)).toBe(1_000);
    expect((await login(t, 'clp@possil.test', TEST_PASSWORD, '198.51.100.5')).status).toBe(200);
  });

  it('Node hashes at OWASP strength by default; Workers at its 100,000 cap', async () => {
    const { DEFAULT_PBKDF2_ITERATIONS, WORKERS_PBKDF2_ITERATIONS, hashPassword } = await import('../src/lib/crypto.js');
    expect(DEFAULT_PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(WORKERS_PBKDF2_ITERATIONS).toBe(100_000);
    expect(hashIterations(await hashPassword('x'.repeat(12)))).toBe(600_000);
  });
});
