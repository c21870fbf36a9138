import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, serveOnLoopback, signInAs } from './helpers/browser.js';
import { nextChi, PERIOD, practiceWith, type Person } from './helpers/dose-people.js';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';

const hasChromium = chromiumAvailable();
let browser: Browser;
let server: ServerType;
let base: string;
let t: TestApp;

/** People in every band, with every measure: the longest the report gets. */
const band = (sessions: number, n: number): Person[] =>
  Array.from({ length: n }, (_, i) => ({
    sessions,
    swemwbs: [18 + (i % 4), 21 + (i % 5)],
    ons4: [
      [5, 5, 5, 5],
      [6, 6, 5, 4],
    ],
    ...(i % 2 ? {} : { gp: [8 + (i % 3), 5 + (i % 2)] as [number, number], chi: nextChi() }),
  }));

beforeAll(async () => {
  if (!hasChromium) return;
  t = await makeTestApp('2027-02-01T09:00:00Z');
  // A practice running ten groups with long names, people in every band, and groups under the threshold.
  const names = [
    'Tuesday Health Walk round Knightswood Park',
    'Community Allotment at Possilpark',
    'Mindfulness for Beginners (Wednesday evenings)',
    'Chair Yoga at the Health Centre',
    'Promising Links loneliness group',
    'Book Club at Possilpark Library',
    'Friday Health Walk along the Canal',
    'Men’s Shed woodworking',
    'Women’s Wellbeing Cafe',
    'Arabic-speaking Walking Group',
  ];
  for (const [i, name] of names.entries()) {
    await practiceWith(t, t.practice.id, t.clp.token, [...band(0, 2), ...band(1, 2), ...band(2, 1), ...band(4, 3), ...band(8, 2)], i + 1);
    await t.db
      .updateTable('community_groups')
      .set({ name })
      .where('name', '=', `Walk ${i + 1}`)
      .execute();
  }
  await t.db.updateTable('practices').set({ attendance_threshold: 0.95, code: 'G12345' }).where('id', '=', t.practice.id).execute();
  t.clock.set('2028-03-15T12:00:00Z');
  ({ server, base } = await serveOnLoopback(t.app.fetch));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

describe.skipIf(!hasChromium)('the printed impact report', { timeout: 90_000 }, () => {
  it('a practice with ten groups and every band filled prints on one A4 page, with what it cannot show on it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInAs(page, base, 'clp@possil.test', TEST_PASSWORD);
    await page.goto(`${base}/reports/impact?${PERIOD}`);
    await page.getByRole('heading', { name: 'What changed' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    // Every line on what the figures cannot show is printed, not folded away.
    const hiddenLimits = await page.evaluate(
      () => [...document.querySelectorAll('.impact section > p.method')].filter((e) => !(e as HTMLElement).offsetParent).length,
    );
    const limits = await page.locator('.impact').innerText();
    expect(limits).toMatch(/What this cannot show/);
    expect(limits).toMatch(/Who is missing/);
    const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect({ pages, hiddenLimits }).toEqual({ pages: 1, hiddenLimits: 0 });
    await context.close();
  });
});
