import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { LocalTransport } from '../src/sms/twilio/local-transport.js';
import { runReminders } from '../src/sms/outbox/run-reminders.js';
import { createPractice, createUser } from '../src/users/users-service.js';
import { chromiumAvailable, expectAxeClean, fillDate, launchChromium, serveOnLoopback, signInAs } from './helpers/browser.js';
import { freshDb, TEST_PASSWORD, testConfig } from './helpers/test-app.js';

let browser: Browser;
let server: ServerType;
let base: string;
const clock = new ManualClock('2027-03-02T09:30:00Z'); // a Tuesday morning
const checked: string[] = [];
let deps: Awaited<ReturnType<typeof freshDb>>;

const hasChromium = chromiumAvailable();

beforeAll(async () => {
  if (!hasChromium) return;
  deps = await freshDb();
  const practice = await createPractice(deps.db, clock, 'Possilpark Health Centre');
  for (const [role, email] of [
    ['admin', 'admin@possil.test'],
    ['clp', 'clp@possil.test'],
    ['staff', 'staff@possil.test'],
  ] as const) {
    await createUser(deps.db, clock, practice.id, { email, role, name: role === 'clp' ? 'Aisha Link-Worker' : `${role} user`, password: TEST_PASSWORD }, 1000);
  }
  const app = createApp({ db: deps.db, clock, config: { ...testConfig, publicBaseUrl: 'http://127.0.0.1' }, templates: loadTemplates() });
  ({ server, base } = await serveOnLoopback(app.fetch));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

/** Every page visited is checked with axe-core and photographed for a reviewer. */
async function check(page: Page, name: string) {
  await expectAxeClean(page, name);
  checked.push(name);
}

const signIn = (page: Page, email: string) => signInAs(page, base, email, TEST_PASSWORD, /./);

describe.skipIf(!hasChromium)('the web app in Chromium', { timeout: 90_000 }, () => {
  it('a CLP sets up a group, enrols two people, takes a register on a 360 px phone, cancels a session and sees the outbox', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(`${base}/today`);
    expect(page.url()).toContain('/login');
    await check(page, '01-login');
    await signIn(page, 'clp@possil.test');
    await page.waitForURL(/\/today/);
    await check(page, '02-today-empty');

    await page.goto(`${base}/venues`);
    await page.getByLabel('Name', { exact: true }).fill('Knightswood Park');
    await page.getByLabel('Meeting point').fill('Front gate on Alderman Road');
    await page.getByRole('button', { name: 'Add venue' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Knightswood Park added');
    await check(page, '03-venues');

    await page.goto(`${base}/groups/new`);
    await page.getByLabel('Name', { exact: true }).fill('Tuesday Health Walk');
    await page.getByLabel('Kind').selectOption('health_walk');
    await page.getByLabel('Places (leave empty for a drop-in group)').fill('0');
    await page.getByLabel('Name used in texts').fill('your Tuesday walk');
    await page.getByRole('checkbox', { name: 'Aisha Link-Worker' }).check();
    await page.getByLabel('Start time').fill('10:00');
    await fillDate(page, 'First date', '2027-03-02');
    await check(page, '04-group-new');
    // No day chosen and no places: the form comes back with both problems in words, nothing typed lost.
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    // The summary takes focus, as GOV.UK's does: a screen reader and the keyboard start there.
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
    const summary = await page.locator('.error-summary').innerText();
    expect(summary).toContain('Choose at least one day');
    expect(summary).toContain('Places must be a whole number from 1 to 1000');
    expect(summary).not.toMatch(/schedule\.|capacity:/);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Tuesday Health Walk');
    expect(await page.getByRole('checkbox', { name: 'Aisha Link-Worker' }).isChecked()).toBe(true);
    await check(page, '04a-group-new-error');
    await page.getByRole('link', { name: 'Choose at least one day' }).click();
    await page.getByRole('checkbox', { name: 'Tuesday' }).check();
    await page.getByLabel('Places (leave empty for a drop-in group)').fill('12');
    await page.getByRole('button', { name: 'Create group' }).click();
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Tuesday Health Walk');
    const groupUrl = page.url().split('?')[0]!;

    await page.goto(`${base}/participants/new`);
    await page.getByLabel('Mobile number').fill('0141 496 0000');
    await page.getByLabel('Agreed to get texts').check();
    await page.getByRole('button', { name: 'Add participant' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.getByLabel('Mobile number').inputValue()).toBe('0141 496 0000');
    await check(page, '05a-participant-error');
    for (const [given, phone] of [
      ['Amira', '07700 900123'],
      ['Brian', '07700 900456'],
    ] as const) {
      await page.goto(`${base}/participants/new`);
      await page.getByLabel('Given name').fill(given);
      await page.getByLabel('Mobile number').fill(phone);
      await page.getByLabel('Agreed to get texts').check();
      await page.getByRole('button', { name: 'Add participant' }).click();
      expect(await page.getByRole('status').innerText()).toContain('Added');
      await page.goto(groupUrl);
      await page.getByLabel('Participant').selectOption({ label: given });
      await page.getByRole('button', { name: 'Enrol' }).click();
      expect(await page.getByRole('status').innerText()).toContain('Enrolled');
    }
    await check(page, '05-group-detail');
    await page.getByRole('link', { name: 'Amira' }).waitFor({ state: 'visible' });

    // On a 360 px phone at the park gate
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/today`);
    await check(page, '06-today-phone');
    // Every tap target on Today is at least 44 px tall (the session links were 27 px lines of text).
    const heights = await page.locator('main a, main button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(1);
    for (const h of heights) expect(h).toBeGreaterThanOrEqual(44);
    await page.getByRole('link', { name: 'Take register' }).first().click();
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Register: Tuesday Health Walk');
    const amira = page.getByRole('group', { name: 'Amira' });
    await amira.getByText('Present').click();
    await page.getByRole('group', { name: 'Brian' }).getByText('Apologies').click();
    const tapTarget = await amira.getByText('Present').boundingBox();
    expect(tapTarget!.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByLabel(/headcount/).fill('2');
    await check(page, '07-register-phone');
    // On a phone the menu folds behind a Menu button (GOV.UK's pattern): the header stays short, and
    // opened, every link shows whole (none cut mid-word at the screen's edge) and is a thumb's target.
    expect(await page.locator('header').evaluate((e) => e.getBoundingClientRect().height)).toBeLessThan(120);
    const menu = page.getByRole('button', { name: 'Menu' });
    expect((await menu.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect()).map((r) => [r.height, r.right]));
    expect(links.length).toBeGreaterThan(4);
    for (const [height, right] of links) {
      expect(height).toBeGreaterThanOrEqual(44);
      expect(right).toBeLessThanOrEqual(360);
    }
    await menu.click();
    // Save answers in place, beside the button: one request, no reload.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    const before = page.url();
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.locator('#save-status').filter({ hasText: 'Register saved: 2 of 2 marked.' }).waitFor();
    expect(page.url()).toBe(before);
    expect(requests.filter((r) => !r.endsWith('/sw.js'))).toEqual([expect.stringMatching(/^PUT \/api\/v1\/sessions\/\d+\/register$/)]);
    expect(await page.getByRole('group', { name: 'Amira' }).getByLabel('Present').isChecked()).toBe(true);
    const saved = await deps.db.selectFrom('attendance').select(['status']).orderBy('participant_id').execute();
    expect(saved.map((a) => a.status)).toEqual(['present', 'apologies']);

    // Cancel next week's walk for rain, and text everyone
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(groupUrl);
    await page.getByRole('link', { name: /Tue 9 Mar/ }).click();
    await check(page, '08-session');
    // No reason: the page comes back with the problem beside the field, linked from a summary.
    await page.getByRole('button', { name: 'Cancel session' }).click();
    await page.getByRole('link', { name: /Say why the session is cancelled/ }).waitFor();
    await check(page, '08a-cancel-error');
    await page.getByLabel('Reason (it goes in the text)').fill('Heavy rain forecast');
    await page.getByRole('button', { name: 'Cancel session' }).click();
    // Nothing happens before the check page: the texts as they will go, on a phone.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('heading', { name: 'Check before you cancel this session' }).waitFor();
    expect(await page.locator('.sms-preview').first().innerText()).toContain('is cancelled (Heavy rain forecast)');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await check(page, '08b-cancel-check');
    await page.getByRole('button', { name: 'Cancel the session and send 2 texts' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Cancelled. 2 texts queued.');
    await page.setViewportSize({ width: 1024, height: 800 });

    await runReminders({ db: deps.db, sms: new LocalTransport(), clock, templates: loadTemplates() });
    await page.goto(`${base}/messages`);
    await page.getByRole('link', { name: /^Sent texts/ }).click();
    await page
      .getByRole('cell', { name: /is cancelled \(Heavy rain forecast\)/ })
      .first()
      .waitFor({ state: 'visible' });
    await page.getByText('(recorded only: not sent)').first().waitFor({ state: 'visible' });
    await check(page, '09-messages');

    await page.goto(`${base}/sessions/${(await deps.db.selectFrom('sessions').select('id').orderBy('starts_at').executeTakeFirstOrThrow()).id}/message`);
    await page.getByLabel('Message').fill('Bring waterproofs');
    expect(await page.locator('#count').innerText()).toContain('17 characters, 1 text');
    await check(page, '10-compose');
    await page.getByRole('button', { name: 'Check the text' }).click();
    await page.getByRole('heading', { name: 'Check before you send' }).waitFor();
    expect(await page.locator('.sms-preview').innerText()).toContain('Bring waterproofs');
    await check(page, '10b-compose-check');
    await context.close();
  });

  it('an admin sees reports, participants, feeds; staff see only groups, sessions and feeds', async () => {
    clock.set('2027-03-02T12:00:00Z'); // after the walk, so it counts as delivered
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await signIn(page, 'admin@possil.test');
    await page.waitForURL(/\/today/);
    await page.goto(`${base}/reports`);
    await page.getByRole('img', { name: /Tuesday Health Walk, attendances per month: .*Mar 3/ }).waitFor({ state: 'visible' });
    await check(page, '11-reports');
    await page.goto(`${base}/participants`);
    await check(page, '12-participants');
    await page.getByRole('link', { name: 'Amira' }).click();
    await check(page, '13-participant');
    await page.getByRole('link', { name: 'Edit' }).click();
    await check(page, '14-participant-edit');
    await page.goto(`${base}/feeds`);
    await page.getByRole('button', { name: 'Create feed' }).click();
    const url = await page.getByLabel('Link to copy').inputValue();
    expect(url).toMatch(/\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(await page.getByRole('button', { name: 'Copy the link' }).isVisible()).toBe(true);
    await check(page, '15-feeds');
    const ics = await (await fetch(url.replace('http://127.0.0.1', base))).text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    // A reload neither shows the link again nor makes a second feed.
    await page.reload();
    expect(await page.getByLabel('Link to copy').count()).toBe(0);
    expect(await deps.db.selectFrom('calendar_feeds').select('id').where('revoked_at', 'is', null).execute()).toHaveLength(1);
    await page.goto(`${base}/feeds`);
    await page
      .getByRole('button', { name: /^Revoke / })
      .first()
      .click();
    expect(await page.getByRole('status').innerText()).toContain('Revoked');
    expect((await fetch(url.replace('http://127.0.0.1', base))).status).toBe(404);
    await page.goto(`${base}/groups`);
    await check(page, '16-groups');
    await page.getByRole('link', { name: 'Tuesday Health Walk' }).click();
    await page.getByRole('link', { name: 'Edit group' }).click();
    await check(page, '16b-group-edit');
    await page.goto(`${base}/participants/new`);
    await check(page, '16c-participant-new');
    await page.goto(`${base}/users`);
    await check(page, '16d-users');
    await page.getByLabel('Email').fill('nia@possil.test');
    await page.getByLabel('Name', { exact: true }).fill('Nia New');
    await page.getByLabel('Password for a new account').fill('a long new password');
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Nia New can now sign in');
    await page.getByRole('button', { name: 'Reset password for Nia New' }).click();
    await check(page, '16e-reset-link');
    await page.goto(`${base}/practices`);
    await check(page, '16f-practices');
    await page.goto(`${base}/texts?language=fa`);
    await check(page, '16g-texts');
    await page.getByRole('link', { name: 'Reminder before a session' }).click();
    await check(page, '16h-text-editor');
    // The preview follows typing (JavaScript adds it; the Preview button does it without).
    await page.getByLabel('Wording').fill('سلام {{givenName}} {{when}}. C');
    await page.locator('#preview .sms-preview').filter({ hasText: 'سلام Mohammad-Hossein' }).waitFor();
    await page.getByLabel('Wording').fill('سلام {{name}}');
    await page.getByRole('button', { name: 'Save wording' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.getByLabel('Wording').inputValue()).toBe('سلام {{name}}');
    await check(page, '16i-text-editor-error');
    await page.goto(`${base}/practice/settings`);
    await check(page, '16j-practice-settings');
    await page.goto(`${base}/reports?from=2027-02-30`);
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await check(page, '16k-reports-period-error');
    await page.getByRole('link', { name: 'Last quarter' }).click();
    await page.getByText(/to 31 Dec 2026, all groups/).waitFor();
    await check(page, '16l-reports-period');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);

    await signIn(page, 'staff@possil.test');
    await page.waitForURL(/\/groups/);
    const nav = await page.getByRole('navigation', { name: 'Main' }).innerText();
    expect(nav).toContain('Groups');
    expect(nav).toContain('Calendar feeds');
    expect(nav).not.toMatch(/Participants|Reports|Messages/);
    await page.getByRole('link', { name: 'Tuesday Health Walk' }).click();
    expect(await page.content()).not.toContain('Amira');
    await check(page, '17-staff-group');
    const blocked = await page.goto(`${base}/participants`);
    expect(blocked!.status()).toBe(403);
    // Staff get a link for themselves: all groups, or one group by name.
    await page.goto(`${base}/feeds`);
    await page.getByLabel('Show').selectOption('group');
    await page.getByRole('button', { name: 'Create feed' }).click();
    expect(await page.getByLabel('Link to copy').inputValue()).toMatch(/\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(await page.getByRole('cell', { name: 'One group: Tuesday Health Walk' }).count()).toBeGreaterThan(0);
    await check(page, '17b-staff-feed');
    await context.close();
  });

  it('refuses a form without its CSRF token and keeps bad input out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await signIn(page, 'clp@possil.test');
    await page.waitForURL(/\/today/);
    const forged = await page.request.post(`${base}/venues`, { form: { name: 'Forged venue' }, headers: { origin: 'https://evil.example' } });
    expect(forged.status()).toBe(403);
    // Same origin but no token (e.g. a stale page after signing in again): refused too.
    const tokenless = await page.request.post(`${base}/venues`, { form: { name: 'Forged venue' }, headers: { origin: base } });
    expect(tokenless.status()).toBe(403);
    expect(await tokenless.text()).toContain('This form has expired');
    const crossLogin = await page.request.post(`${base}/login`, {
      form: { email: 'clp@possil.test', password: TEST_PASSWORD },
      headers: { origin: 'https://evil.example' },
      maxRedirects: 0,
    });
    expect(crossLogin.status()).toBe(403);
    await page.goto(`${base}/participants/new`);
    await page.getByLabel('Given name').fill('Carol');
    await page.getByLabel('Mobile number').fill('0141 552 1234');
    await page.getByRole('button', { name: 'Add participant' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('There is a problem');
    await page
      .locator('#phone-error')
      .getByText(/not a UK mobile/)
      .waitFor({ state: 'visible' });
    await check(page, '18-form-error');
    // A page error offers a way back to the form it came from (the same-origin referrer carries it).
    await page.goto(`${base}/groups`);
    await page.getByRole('link', { name: 'Tuesday Health Walk' }).click();
    const groupPage = page.url();
    await page.getByRole('button', { name: 'Enrol' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Choose who to enrol');
    await check(page, '18b-page-error');
    await page.getByRole('link', { name: 'Go back' }).click();
    expect(page.url()).toBe(groupPage);
    expect(await deps.db.selectFrom('venues').select('name').where('name', '=', 'Forged venue').execute()).toEqual([]);
    expect(await deps.db.selectFrom('participants').select('id').where('given_name', '=', 'Carol').execute()).toEqual([]);
    await context.close();
  });
});
