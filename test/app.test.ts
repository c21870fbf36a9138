import { describe, expect, it } from 'vitest';
import { makeTestApp } from './helpers/test-app.js';

describe('the app shell', () => {
  it('answers /healthz without sign-in', async () => {
    const t = await makeTestApp();
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const t = await makeTestApp();
    const res = await t.request('GET', '/api/v1/nowhere', { token: t.clp.token });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String), requestId: expect.any(String) } });
  });

  it('sends secure headers', async () => {
    const t = await makeTestApp();
    const res = await t.request('GET', '/api/v1/groups', { token: t.clp.token });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    // A JSON answer is never rendered as a page: OWASP's API set, not the page-only headers.
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-xss-protection')).toBeNull();
    const form = await t.app.request('/login', { headers: { accept: 'text/html' } });
    expect(form.headers.get('referrer-policy')).toBe('same-origin');
    expect(form.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(form.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    // A caller's own request id is echoed, so its log and ours meet.
    expect((await t.app.request('/api/v1/nowhere', { headers: { 'x-request-id': 'phone-42' } })).headers.get('x-request-id')).toBe('phone-42');
    // A 304 only confirms what the browser kept: its validator, not the security headers again (a phone revalidating moves less).
    const page = await t.app.request('/today', { headers: { cookie: `clg_session=${t.clp.token}` } });
    const again = await t.app.request('/today', { headers: { cookie: `clg_session=${t.clp.token}`, 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(page.headers.get('etag'));
    expect(again.headers.get('strict-transport-security')).toBeNull();
    expect(page.headers.get('strict-transport-security')).toBeTruthy();
  });

  it('pages and API answers with personal data are never stored by the browser, and pages run only our own scripts and styles', async () => {
    const t = await makeTestApp();
    const api = await t.request('GET', '/api/v1/participants', { token: t.clp.token });
    expect(api.headers.get('cache-control')).toBe('no-store');
    const page = await t.app.request('/participants', { headers: { cookie: `clg_session=${t.clp.token}`, accept: 'text/html' } });
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    // No inline script anywhere, and no style attribute the policy would refuse.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
    // Feeds keep their own caching (no patient data); the shell is cacheable.
    expect((await t.app.request('/offline.js')).headers.get('cache-control')).toBe('no-cache');
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const t = await makeTestApp();
    const res = await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: 'x'.repeat(300 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await t.db.selectFrom('venues').selectAll().execute()).toEqual([]);
  });

  it('an unknown path under /api/v1 is 404 before any sign-in; a known one still asks to sign in', async () => {
    const t = await makeTestApp();
    const res = await t.request('GET', '/api/v1/nowhere');
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
    expect((await t.request('POST', '/api/v1/groups/1/nothing-here')).status).toBe(404);
    expect((await t.request('GET', '/api/v1/groups/1')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/reports/impact.csv')).status).toBe(401);
  });

  it('a body sent as text/plain is told to send JSON, not refused field by field', async () => {
    const t = await makeTestApp();
    const res = await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: '{"name":"Hall"}', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', message: 'Send the request body as JSON, with the header Content-Type: application/json' });
    expect(await t.db.selectFrom('venues').selectAll().execute()).toEqual([]);
    const charset = await t.request('POST', '/api/v1/venues', {
      token: t.clp.token,
      body: { name: 'Hall' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(charset.status).toBe(201);
  });

  it('answers a body that is not JSON with 400', async () => {
    const t = await makeTestApp();
    const res = await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: 'name=Hall', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });
});

describe('the small things a browser asks for', () => {
  it('an unknown page is a styled page for people with a viewport; pages ask for no favicon', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/no-such-page', { headers: { accept: 'text/html', cookie: `clg_session=${t.clp.token}` } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('name="viewport"');
    expect(html).toContain('<style>');
    expect(html).toContain('Page not found');
    const login = await (await t.app.request('/login')).text();
    expect(login).toContain('<link rel="icon" href="data:,"/>');
    // Whatever asks for /favicon.ico gets the icon, not a redirect to sign in.
    const icon = await t.app.request('/favicon.ico');
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    expect(await icon.text()).toMatch(/^<svg /);
  });
});
