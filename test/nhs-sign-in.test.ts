import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';
import { signInAtProvider, startOidcProvider } from './helpers/oidc-provider.js';

const CALLBACK = 'https://groups.example.org/auth/oidc/callback';
const TENANT = '10efe0bd-a030-4bca-809c-b5e6745e499a';
let provider: Awaited<ReturnType<typeof startOidcProvider>>;

beforeAll(async () => {
  provider = await startOidcProvider(CALLBACK);
});
afterAll(() => provider?.stop());

async function appWithNhsSignIn(allowedTenants: string[] = [TENANT]) {
  return makeTestApp('2027-03-01T09:00:00Z', {
    oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, label: 'NHS account', allowedTenants },
  });
}

/** A person pressing "Sign in with NHS account" and signing in at the provider as `accountId`: where the app sends them, and its cookie. */
async function nhsSignIn(t: TestApp, accountId: string) {
  const start = await t.app.request('/auth/oidc/start?next=/today');
  expect(start.status).toBe(302);
  const auth = new URL(start.headers.get('location')!);
  expect(auth.origin).toBe(provider.issuer);
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('scope')).toBe('openid email profile');
  expect(auth.searchParams.get('state')).toBeTruthy();
  expect(auth.searchParams.get('nonce')).toBeTruthy();
  const back = await signInAtProvider(auth.href, accountId, CALLBACK);
  const query = new URL(back).search;
  const res = await t.app.request(`/auth/oidc/callback${query}`);
  const cookie = (res.headers.get('set-cookie') ?? '').match(/clg_session=([^;]+)/)?.[1];
  return { status: res.status, location: res.headers.get('location') ?? '', cookie, query };
}

const users = async (t: TestApp) =>
  Number(
    (
      await t.db
        .selectFrom('users')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('staff sign in with the NHS account they already have', () => {
  it('the invited account is linked the first time by its email, then followed by its subject; the same session as a password gives', async () => {
    const t = await appWithNhsSignIn();
    const login = await t.app.request('/login');
    expect(await login.text()).toContain('Sign in with NHS account');
    provider.accounts.set('entra-clp-1', { email: 'clp@possil.test', tid: TENANT, name: 'C. L. P.' });
    const first = await nhsSignIn(t, 'entra-clp-1');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/today');
    expect(first.cookie).toBeTruthy();
    const me = await t.request('GET', '/api/v1/auth/me', { headers: { cookie: `clg_session=${first.cookie}` } });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: t.clp.id, role: 'clp' });
    const today = await t.app.request('/today', { headers: { cookie: `clg_session=${first.cookie}` } });
    expect(today.status).toBe(200);
    // Renamed at the provider: the subject still finds the account.
    provider.accounts.set('entra-clp-1', { email: 'c.l.p@nhs.scot', tid: TENANT });
    const renamed = await nhsSignIn(t, 'entra-clp-1');
    expect(renamed.location).toBe('/today');
    const user = await t.request('GET', `/api/v1/users/${t.clp.id}`, { token: t.admin.token });
    expect(user.body.signIn).toEqual({ nhsOnly: false, nhsAccountLinked: true });
  });

  it('never creates an account: unknown, other tenant, disabled, a recycled address: no session and a plain message', async () => {
    const t = await appWithNhsSignIn();
    const before = await users(t);
    provider.accounts.set('stranger', { email: 'nobody@nhs.scot', tid: TENANT });
    provider.accounts.set('other-tenant', { email: 'admin@possil.test', tid: 'another-tenant' });
    provider.accounts.set('reception', { email: 'staff@possil.test', tid: TENANT });
    provider.accounts.set('first-holder', { email: 'admin@possil.test', tid: TENANT });
    provider.accounts.set('new-holder', { email: 'admin@possil.test', tid: TENANT });
    await t.request('PATCH', `/api/v1/users/${t.staff.id}`, { token: t.admin.token, body: { disabled: true } });
    for (const who of ['stranger', 'other-tenant', 'reception']) {
      const r = await nhsSignIn(t, who);
      expect(r.cookie, who).toBeUndefined();
      expect(r.location, who).toMatch(/^\/login\?signin=/);
      const page = await t.app.request(r.location);
      expect(await page.text(), who).toContain('Your NHS account is not set up here: ask your practice admin to add you');
    }
    // The admin links their NHS account; a new person later given the same address is not them.
    expect((await nhsSignIn(t, 'first-holder')).cookie).toBeTruthy();
    expect((await nhsSignIn(t, 'new-holder')).cookie).toBeUndefined();
    expect(await users(t)).toBe(before);
  });

  it('a state used once, or never issued, signs no one in', async () => {
    const t = await appWithNhsSignIn();
    provider.accounts.set('entra-admin', { email: 'admin@possil.test', tid: TENANT });
    const ok = await nhsSignIn(t, 'entra-admin');
    expect(ok.cookie).toBeTruthy();
    const replay = await t.app.request(`/auth/oidc/callback${ok.query}`);
    expect(replay.headers.get('set-cookie') ?? '').not.toContain('clg_session=');
    expect(replay.headers.get('location')).toMatch(/^\/login\?signin=Signing/);
    const forged = await t.app.request(`/auth/oidc/callback?code=made-up&state=not-ours&iss=${encodeURIComponent(provider.issuer)}`);
    expect(forged.headers.get('set-cookie') ?? '').not.toContain('clg_session=');
    expect(forged.headers.get('location')).toMatch(/^\/login\?signin=/);
    // A state issued for one sign-in, with a code from another, fails the provider's checks (PKCE, nonce).
    const a = await t.app.request('/auth/oidc/start');
    const stateA = new URL(a.headers.get('location')!).searchParams.get('state')!;
    const b = await t.app.request('/auth/oidc/start');
    const back = new URL(await signInAtProvider(b.headers.get('location')!, 'entra-admin', CALLBACK));
    back.searchParams.set('state', stateA);
    const crossed = await t.app.request(`/auth/oidc/callback${back.search}`);
    expect(crossed.headers.get('set-cookie') ?? '').not.toContain('clg_session=');
  });

  it('an ID token whose signature was altered on the way signs no one in', async () => {
    const t = await appWithNhsSignIn();
    provider.accounts.set('entra-admin-2', { email: 'admin@possil.test', tid: TENANT });
    provider.network.tamper = true;
    try {
      const forged = await nhsSignIn(t, 'entra-admin-2');
      expect(forged.cookie).toBeUndefined();
      expect(forged.location).toMatch(/^\/login\?signin=Signing/);
    } finally {
      provider.network.tamper = false;
    }
    // The same sign-in untouched works: it was the signature that was refused.
    expect((await nhsSignIn(t, 'entra-admin-2')).cookie).toBeTruthy();
  });

  it('an admin sets an account to sign in by NHS account only: its password stops working; without OIDC settings nothing changes', async () => {
    const t = await appWithNhsSignIn();
    expect((await t.request('PATCH', `/api/v1/users/${t.clp.id}`, { token: t.admin.token, body: { nhsOnly: true } })).body.signIn.nhsOnly).toBe(true);
    const refused = await t.request('POST', '/api/v1/auth/login', { body: { email: 'clp@possil.test', password: TEST_PASSWORD } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toContain('NHS account');
    provider.accounts.set('entra-clp-2', { email: 'clp@possil.test', tid: TENANT });
    expect((await nhsSignIn(t, 'entra-clp-2')).cookie).toBeTruthy();
    const plain = await makeTestApp();
    expect((await plain.app.request('/auth/oidc/start')).status).toBe(404);
    expect(await (await plain.app.request('/login')).text()).not.toContain('Sign in with');
  });
});
