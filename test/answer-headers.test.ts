import { describe, expect, it } from 'vitest';
import { seedGroup, makeTestApp } from './helpers/test-app.js';

describe('what every answer says about being kept', () => {
  it('redirects, the signed-in 404 page and the health probe say no-store; CSV downloads load nothing and may not be framed', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seedGroup(t);
    const cookie = `clg_session=${t.clp.token}`;
    const redirect = await t.app.request('/groups', {});
    expect(redirect.status).toBeGreaterThanOrEqual(300);
    expect(redirect.status).toBeLessThan(400);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const missing = await t.app.request('/no-such-page', { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect((await t.app.request('/healthz')).headers.get('cache-control')).toBe('no-store');
    const csv = await t.app.request('/api/v1/reports/attendance.csv?from=2027-03-01&to=2027-03-31', { headers: { authorization: `Bearer ${t.clp.token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(csv.headers.get('cache-control')).toBe('no-store');
    // A route that chose its own caching keeps it.
    expect((await t.app.request('/icon.svg')).headers.get('cache-control')).toBe('public, max-age=86400');
  });
});
