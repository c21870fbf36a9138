import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAxeClean, launchChromium, serveOnLoopback, signInAs } from './helpers/browser.js';
import { makeTestApp, seedGroup, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';

let browser: Browser;
let server: ServerType;
let base: string;
let t: TestApp;
const hasChromium = chromiumAvailable();

beforeAll(async () => {
  if (!hasChromium) return;
  t = await makeTestApp('2027-03-01T09:00:00Z');
  await seedGroup(t);
  ({ server, base } = await serveOnLoopback(t.app.fetch));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

describe.skipIf(!hasChromium)('referrals in Chromium, on a phone and a desktop', { timeout: 90_000 }, () => {
  for (const [width, height] of [
    [320, 640],
    [1280, 900],
  ] as const) {
    it(`at ${width} px: a receptionist refers (the error summary takes focus), a CLP accepts from Today, both axe-clean`, async () => {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      page.setDefaultTimeout(8_000);
      await signInAs(page, base, 'staff@possil.test', TEST_PASSWORD, /\/groups/);
      await page.goto(`${base}/referrals/new`);
      await expectAxeClean(page, `referral-${width}-01-form`);
      await page.getByLabel('Given name').fill(`Amira ${width}`);
      await page.getByLabel('Why are you referring them?').fill('Lonely since moving here');
      await page.getByRole('button', { name: 'Send the referral' }).click();
      // No consent ticked: the summary takes focus and links to the box.
      await expect(page.locator('.error-summary').evaluate((e) => e === document.activeElement)).resolves.toBe(true);
      await expectAxeClean(page, `referral-${width}-02-no-consent`);
      await page.getByLabel('To be referred to Community Links (needed)').check();
      await page.getByLabel('Suggested group (optional)').selectOption({ label: 'Tuesday Health Walk' });
      await page.getByRole('button', { name: 'Send the referral' }).click();
      await page.waitForURL(/\/referrals\/\d+/);
      await expectAxeClean(page, `referral-${width}-03-sent`);
      await context.close();

      const clpContext = await browser.newContext({ viewport: { width, height } });
      const clp = await clpContext.newPage();
      clp.setDefaultTimeout(8_000);
      await signInAs(clp, base, 'clp@possil.test', TEST_PASSWORD, /\/today/);
      await clp.getByRole('link', { name: /New referrals: 1/ }).click();
      await expectAxeClean(clp, `referral-${width}-04-list`);
      await clp.getByRole('link', { name: `Amira ${width}` }).click();
      await expectAxeClean(clp, `referral-${width}-05-open`);
      await clp.getByRole('button', { name: 'Accept' }).click();
      await clp.waitForURL(/done=/);
      await expect(clp.locator('main').innerText()).resolves.toContain('given a place at Tuesday Health Walk');
      await expectAxeClean(clp, `referral-${width}-06-accepted`);
      await clpContext.close();
    });
  }
});
