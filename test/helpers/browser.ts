import { expect } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. On a fresh machine without Chromium they are skipped
 * with one line saying how to install it; under CI=true (where .ci/run installs it) they must run.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but no Chromium at ${CHROMIUM_PATH}: .ci/run installs Debian's chromium package`);
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it with: sudo apt-get install chromium (or set CHROMIUM_PATH)`);
  return false;
}

/** Debian's Chromium, never a downloaded browser; flags keep it off the closed network. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Every page records what its Content-Security-Policy refused, for seriousAxeViolations to report.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => {
        const w = window as unknown as { __csp?: string[] };
        (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI || 'inline'}`);
      }),
    );
    return context;
  };
  return browser;
}
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page (WCAG 2.x A and AA) and returns serious or critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated, not added as a <script>: the page's CSP rightly refuses inline scripts.
  await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const refused = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  if (refused.length) return refused.map((r) => ({ id: 'content-security-policy', impact: 'serious', help: `refused ${r}`, nodes: [] }));
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }),
  )) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  // A full-page capture resizes the window in headless Chromium; scroll back so later clicks land where they aim.
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Signs in on the login page as a person would, and waits for the page sign-in leads to. */
export async function signInAs(page: Page, base: string, email: string, password: string, lands: RegExp = /\/today/): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(lands);
}

/** The app on a real HTTP server on 127.0.0.1 (a free port), for the browser to reach. */
export async function serveOnLoopback(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; base: string }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Types a date into a GOV.UK date input (Day, Month and Year boxes) named by its legend. */
export async function fillDate(page: Page, legend: string, iso: string) {
  const [year, month, day] = iso.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(Number(day)));
  await group.getByLabel('Month').fill(String(Number(month)));
  await group.getByLabel('Year').fill(year!);
}

/** A page axe finds nothing serious on, photographed for a reviewer under its name. */
export async function expectAxeClean(page: Page, name: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    name,
  ).toEqual([]);
  await screenshot(page, name);
}
