import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { createPractice, createUser } from '../src/users/users-service.js';
import { chromiumAvailable, expectAxeClean, launchChromium, serveOnLoopback, signInAs } from './helpers/browser.js';
import { freshDb, TEST_PASSWORD, testConfig } from './helpers/test-app.js';

const hasChromium = chromiumAvailable();
const clock = new ManualClock('2027-03-01T09:00:00Z');
let browser: Browser;
let server: ServerType;
let base: string;
let participant: number;

beforeAll(async () => {
  if (!hasChromium) return;
  const deps = await freshDb();
  const practice = await createPractice(deps.db, clock, 'Possilpark Health Centre');
  await createUser(deps.db, clock, practice.id, { email: 'admin@possil.test', role: 'admin', name: 'Admin', password: TEST_PASSWORD }, 1000);
  const app = createApp({ db: deps.db, clock, config: { ...testConfig, publicBaseUrl: 'http://127.0.0.1' }, templates: loadTemplates() });
  const token = (
    (await (
      await app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@possil.test', password: TEST_PASSWORD }),
      })
    ).json()) as { token: string }
  ).token;
  const api = async (method: string, path: string, body: unknown) =>
    (
      await app.request(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json() as Promise<{ id: number }>;
  const venue = await api('POST', '/venues', { name: 'Knightswood Park' });
  const group = await api('POST', '/groups', {
    name: 'Tuesday Health Walk',
    kind: 'health_walk',
    venueId: venue.id,
    capacity: 10,
    schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' },
  });
  participant = (await api('POST', '/participants', { givenName: 'Amira', smsConsent: false, chiNumber: '0101901232' })).id;
  await api('POST', `/groups/${group.id}/enrolments`, { participantId: participant });
  clock.set('2027-06-30T12:00:00Z');
  await api('POST', `/participants/${participant}/outcomes`, { measure: 'swemwbs', answers: [3, 3, 3, 3, 3, 3, 3], takenOn: '2027-03-02' });
  await api('POST', `/participants/${participant}/outcomes`, { measure: 'swemwbs', answers: [4, 4, 4, 4, 4, 4, 4], takenOn: '2027-06-01' });
  ({ server, base } = await serveOnLoopback(app.fetch));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

const check = expectAxeClean;

describe.skipIf(!hasChromium)('impact pages in Chromium', { timeout: 90_000 }, () => {
  it('the impact report prints on one A4 portrait page; the measure, import and retention pages pass axe at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, base, 'admin@possil.test', TEST_PASSWORD);

    await page.goto(`${base}/reports/impact?from=2027-01-01&to=2027-06-30`);
    await page.getByRole('heading', { name: 'What changed' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await check(page, '30-impact-report');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
    const text = pdf.toString('latin1');
    const pages = (text.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(1);
    const box = text.match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
    // A4 portrait: 210 × 297 mm is 595 × 842 points.
    expect(Math.abs(Number(box![1]) - 595)).toBeLessThan(1.5);
    expect(Math.abs(Number(box![2]) - 842)).toBeLessThan(1.5);
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${base}/participants/${participant}/outcomes/new?measure=swemwbs`);
    await check(page, '31-swemwbs-form');
    await page.getByRole('button', { name: 'Save SWEMWBS' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await check(page, '32-swemwbs-errors');
    await page.goto(`${base}/reports/gp-appointments`);
    await check(page, '33-gp-import');
    await page.goto(`${base}/retention`);
    await check(page, '34-retention');
    await context.close();
  });
});
