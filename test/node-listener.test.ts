import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { listen, nodeServer } from '../src/node/node-listener.js';
import { ManualClock } from '../src/lib/time/clock.js';
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
    expect(probe.headers.get('cache-control')).toBe('no-store');
    expect(fromApp.headers.get('cache-control')).toBe('no-store');
    expect(await probe.json()).toEqual(await fromApp.json());
    expect(await (await fetch(`${base}/healthz?from=lb`)).json()).toEqual({ status: 'ok', time: '2027-03-28T00:30:00.000Z' });
    // Built once a millisecond, and never a millisecond late.
    t.clock.advance(1);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', time: '2027-03-28T00:30:00.001Z' });
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

  it('answers requests that arrive together each with its own whole answer, streamed, empty or HEAD alike', async () => {
    const clock = new ManualClock('2027-03-28T00:30:00Z');
    // Answers finished in one turn go out together at its end: each must still reach its own client whole.
    server = nodeServer(
      async (req) => {
        const url = new URL(req.url);
        const n = url.searchParams.get('n') ?? '';
        if (url.pathname === '/stream') {
          let i = 0;
          const body = new ReadableStream({
            async pull(controller) {
              await new Promise((r) => setTimeout(r, 1));
              if (i === 3) controller.close();
              else controller.enqueue(new TextEncoder().encode(`part ${i++} of ${n};`));
            },
          });
          return new Response(body, { headers: { 'content-type': 'text/plain' } });
        }
        if (url.pathname === '/empty') return new Response(null, { status: 304, headers: { etag: `"${n}"` } });
        if (url.pathname === '/slow') await new Promise((r) => setTimeout(r, 5));
        return new Response(`answer ${n} `.repeat(2000), { headers: { 'content-type': 'text/plain' } });
      },
      clock,
      '127.0.0.1',
    );
    const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    const asks = Array.from({ length: 60 }, (_, i) => i);
    const answers = await Promise.all(
      asks.map(async (i) => {
        const path = ['/fast', '/slow', '/stream', '/empty'][i % 4]!;
        const res = await fetch(`${base}${path}?n=${i}`, { method: i % 10 === 9 ? 'HEAD' : 'GET' });
        return [i, path, res.status, res.headers.get('etag'), await res.text()] as const;
      }),
    );
    for (const [i, path, status, etag, text] of answers) {
      if (i % 10 === 9) expect([i, status, text]).toEqual([i, path === '/empty' ? 304 : 200, '']);
      else if (path === '/stream') expect(text).toBe(`part 0 of ${i};part 1 of ${i};part 2 of ${i};`);
      else if (path === '/empty') expect([status, etag, text]).toEqual([304, `"${i}"`, '']);
      else expect(text).toBe(`answer ${i} `.repeat(2000));
    }
  });
});
