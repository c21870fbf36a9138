import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { makeTestApp, seedGroup, TEST_PASSWORD } from '../test/helpers/test-app.js';
import { line } from './bench-lib.js';
import { goal } from './goals.js';
import { ShapingProxy } from './shaping-proxy.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RTT = 400;
const KBPS = 400;

/**
 * Issue 25's phone figures: Debian's Chromium behind a shaping proxy (400 ms round trip, 400 kbps
 * each way, the service worker's fetches too) with its CPU slowed 4×. A CLP taps Save on a
 * register of 12; a second visit to Today with nothing changed, in a week of five groups.
 */
export async function phoneBench(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`\nPhone: skipped (no Chromium at ${CHROMIUM}: apt-get install chromium)`);
    return;
  }
  const t = await makeTestApp('2027-03-02T09:30:00Z');
  const { group } = await seedGroup(t);
  for (let i = 0; i < 12; i++) {
    const p = await t.request('POST', '/api/v1/participants', {
      token: t.clp.token,
      body: { givenName: `Walker${i}`, familyName: 'Bench', smsConsent: false },
    });
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id } });
  }
  const [session] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, { token: t.clp.token })).body.items;
  // A week of five groups, as filed (issue 32): each register of the week is kept on the phone.
  for (const [i, day] of ['wed', 'thu', 'fri', 'sat'].entries()) {
    const other = (
      await seedGroup(t, {
        name: `Group ${i + 2}`,
        schedule: { frequency: 'weekly', weekdays: [day], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' },
      })
    ).group;
    for (const id of [1, 2, 3]) await t.request('POST', `/api/v1/groups/${other.id}/enrolments`, { token: t.clp.token, body: { participantId: id } });
  }
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const proxy = new ShapingProxy((server.address() as AddressInfo).port, RTT, KBPS);
  const base = `http://127.0.0.1:${await proxy.start()}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    // Signed in, and Today opened once so the phone keeps it and the week's registers (set up unshaped).
    proxy.shaping = false;
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill('clp@possil.test');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/today/);
    await page.locator('html[data-offline-ready]').waitFor({ state: 'attached' });
    proxy.shaping = true;

    console.log(`\nPhone: Chromium at 360 px, CPU 4× slower, through a proxy at ${RTT} ms and ${KBPS} kbps`);
    // A second visit to Today with nothing changed: everything that crosses the link, the service worker's revalidations included.
    await page.goto('about:blank');
    proxy.bytes = 0;
    const todayRequests: string[] = [];
    const onToday = (r: { url: () => string }) => todayRequests.push(new URL(r.url()).pathname);
    context.on('request', onToday);
    const t0 = performance.now();
    await page.goto(`${base}/today`);
    await page.evaluate(() => delete document.documentElement.dataset.offlineReady);
    await page.locator('html[data-offline-ready]').waitFor({ state: 'attached' });
    const todayMs = performance.now() - t0;
    await page.waitForTimeout(1000);
    const todayBytes = proxy.bytes;
    context.off('request', onToday);
    line(
      'Today again, nothing changed (all requests)',
      `${(todayBytes / 1024).toFixed(1)} KB`,
      'of the 3 KB budget',
      todayBytes / 3072,
      `${todayRequests.length} requests (${todayRequests.join(', ')}); ${(todayMs / 1000).toFixed(1)} s until the registers were checked`,
    );
    goal({
      measure: 'a Today visit with nothing changed (phone)',
      filed: '10 requests, 39 KB, 5.2 s',
      now: `${(todayBytes / 1024).toFixed(1)} KB`,
      goal: '≤ 3 KB',
      met: todayBytes <= 3072,
    });

    // Save: everyone marked, then Save; timed until the page says it is saved.
    await page.goto(`${base}/sessions/${session.id}/register`);
    await page.getByRole('button', { name: 'Everyone present' }).waitFor();
    for (const box of await page.locator('input[type=radio][value=present]').all()) await box.check();
    const requests: string[] = [];
    const seen = (r: { url: () => string; method: () => string }) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    context.on('request', seen);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    const s0 = performance.now();
    await page.locator('.save-bar').getByRole('button', { name: 'Save register' }).click();
    await page.locator('#save-status', { hasText: 'Register saved' }).waitFor();
    const saveMs = performance.now() - s0;
    context.off('request', seen);
    line(
      'Save to "saved" (12 people)',
      `${(saveMs / 1000).toFixed(2)} s`,
      `of one round trip (${RTT} ms)`,
      saveMs / RTT,
      `${requests.length} request(s): ${requests.join(', ')}; ${navigations.length} navigation(s)`,
    );
    goal({
      measure: 'register Save to "saved" (phone)',
      filed: '2.0 s, three round trips',
      now: `${(saveMs / 1000).toFixed(2)} s, ${requests.length} request`,
      goal: '≤ 1.2 s',
      met: saveMs <= 1200,
    });
    await context.close();
  } finally {
    await browser.close();
    await proxy.stop();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
