import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAxeClean, launchChromium, serveOnLoopback } from './helpers/browser.js';
import { startOidcProvider } from './helpers/oidc-provider.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';

let browser: Browser;
let server: ServerType;
let base: string;
let t: TestApp;
let provider: Awaited<ReturnType<typeof startOidcProvider>>;
const hasChromium = chromiumAvailable();

beforeAll(async () => {
  if (!hasChromium) return;
  // The app's address is its public address here, so the provider sends the browser back to it.
  let app: TestApp['app'] | undefined;
  ({ server, base } = await serveOnLoopback((req) => app!.fetch(req)));
  provider = await startOidcProvider(`${base}/auth/oidc/callback`);
  t = await makeTestApp('2027-03-01T09:00:00Z', {
    publicBaseUrl: base,
    oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, label: 'NHS account', allowedTenants: [] },
  });
  app = t.app;
  provider.accounts.set('entra-clp', { email: 'clp@possil.test' });
  provider.accounts.set('entra-stranger', { email: 'stranger@nhs.scot' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  await provider?.stop();
});

async function atProvider(page: import('playwright-core').Page, accountId: string) {
  await page.locator('input[name="login"]').fill(accountId);
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  // The provider asks once for consent to share the email with this app.
  await page.locator('button[type="submit"]').click();
}

describe.skipIf(!hasChromium)('signing in with an NHS account in Chromium', { timeout: 90_000 }, () => {
  it('a CLP presses the button, signs in at the provider and lands on Today; a stranger is told plainly; both pages axe-clean', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/login`);
    await expectAxeClean(page, 'nhs-01-login');
    await page.getByRole('link', { name: 'Sign in with NHS account' }).click();
    await page.waitForURL(new RegExp(`^${provider.issuer}`));
    await atProvider(page, 'entra-clp');
    await page.waitForURL(`${base}/today`);
    await expect(page.locator('header').innerText()).resolves.toContain('Signed in as');
    await context.close();

    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const stranger = await other.newPage();
    stranger.setDefaultTimeout(10_000);
    await stranger.goto(`${base}/login`);
    await stranger.getByRole('link', { name: 'Sign in with NHS account' }).click();
    await atProvider(stranger, 'entra-stranger');
    await stranger.waitForURL(/\/login\?signin=/);
    await expect(stranger.locator('main').innerText()).resolves.toContain('Your NHS account is not set up here: ask your practice admin to add you');
    await expectAxeClean(stranger, 'nhs-02-not-set-up');
    expect((await other.cookies()).some((c) => c.name === 'clg_session')).toBe(false);
    await other.close();
  });
});
