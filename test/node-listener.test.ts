import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { listen, nodeServer } from '../src/node/node-listener.js';
import { makeTestApp } from './helpers/test-app.js';

describe('the Node server', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("answers the load balancer's probe as the app does, and everything else through the app", async () => {
    const t = await makeTestApp('2027-03-28T00:30:00Z');
    server = nodeServer(t.app.fetch, t.clock, '127.0.0.1');
    const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;

    const probe = await fetch(`${base}/healthz`);
    const fromApp = await t.app.request('/healthz');
    expect(probe.status).toBe(200);
    expect(probe.headers.get('content-type')).toBe('application/json');
    expect(await probe.json()).toEqual(await fromApp.json());
    expect(await (await fetch(`${base}/healthz?from=lb`)).json()).toEqual({ status: 'ok', time: '2027-03-28T00:30:00.000Z' });
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);

    // Not the probe: the app's own answers, with its headers.
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBeGreaterThanOrEqual(400);
    const groups = await fetch(`${base}/api/v1/groups`, { headers: { authorization: `Bearer ${t.clp.token}` } });
    expect(groups.status).toBe(200);
    expect(groups.headers.get('cache-control')).toBe('no-store');
    expect(groups.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await fetch(`${base}/healthzz`, { redirect: 'manual' }).then((r) => r.text())).not.toContain('"status":"ok"');
  });
});
