import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAxeClean, launchChromium, serveOnLoopback, signInAs } from './helpers/browser.js';
import { makeTestApp, seedGroup, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';

let browser: Browser;
let server: ServerType;
let base: string;
let t: TestApp;
let sessionId: number;
const hasChromium = chromiumAvailable();

beforeAll(async () => {
  if (!hasChromium) return;
  // Tuesday 2 March 2027, 09:50: ten minutes before the walk, at the park gate.
  t = await makeTestApp('2027-03-02T09:50:00Z');
  const { group } = await seedGroup(t, { participantsPerLeader: 20, requiresFirstAid: true });
  const leader = await t.addUser(t.practice.id, 'leader', 'wanda@walks.test');
  // Neither leader has a PVG record on file: two warnings above the register.
  const sam = await t.addUser(t.practice.id, 'leader', 'sam@walks.test');
  await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [leader.id, sam.id] } });
  await t.request('POST', `/api/v1/users/${leader.id}/credentials`, {
    token: t.clp.token,
    body: { kind: 'first_aid', validFrom: '2026-01-01', expiresOn: '2029-01-01' },
  });
  for (const body of [
    { givenName: 'Amira', familyName: 'Khalil', phone: '07700 900101', smsConsent: true, interpreterLanguage: 'ar', firstSessionSupport: 'Meet at the gate' },
    { givenName: 'Brian', familyName: 'McLeod', phone: '07700 900102', smsConsent: true, mobility: 'Walks with a stick', transportArranged: true },
  ]) {
    const p = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body });
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id } });
  }
  sessionId = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, { token: t.clp.token })).body.items[0].id;
  ({ server, base } = await serveOnLoopback(t.app.fetch));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

const check = expectAxeClean;

describe.skipIf(!hasChromium)('a volunteer walk leader on a phone', { timeout: 90_000 }, () => {
  it('on a small phone the warnings sit in one block with a heading above the register, and "Everyone present" is still on the first screen', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 568 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await signInAs(page, base, 'sam@walks.test', TEST_PASSWORD, /\/today/);
    await page.goto(`${base}/sessions/${sessionId}/register`);
    const block = page.locator('main .warning-banner');
    await expect(block.count()).resolves.toBe(1);
    expect(await block.getByRole('heading').innerText()).toMatch(/^Warning:\s+2 things to check first$/);
    expect(await block.innerText()).toContain('has no current PVG record: check it before they lead');
    // Wholly on the first screen, above the save bar that stays at its foot.
    const everyone = await page.getByRole('button', { name: 'Everyone present' }).boundingBox();
    const bar = await page.locator('.save-bar').boundingBox();
    expect(everyone!.y + everyone!.height).toBeLessThanOrEqual(Math.min(568, bar!.y));
    await block.locator('summary').click();
    expect(await block.locator('li[data-flag="pvg"]').count()).toBe(2);
    await check(page, 'leader-00-register-warnings-320');
    await context.close();
  });

  it('takes the register with given names, initials and access marks, adds a drop-in, and raises a concern the CLP then closes', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await signInAs(page, base, 'wanda@walks.test', TEST_PASSWORD, /\/today/);
    await check(page, 'leader-01-today');
    // Only what a leader may open: no Participants, Messages or Reports in the menu.
    const menu = await page.locator('nav[aria-label="Main"]').innerText();
    expect(menu).not.toMatch(/Participants|Messages|Reports/);
    await page.getByRole('link', { name: 'Take register' }).click();
    await page.waitForURL(/\/register$/);
    const amira = page.getByRole('group', { name: 'Amira K.' });
    await expect(amira.isVisible()).resolves.toBe(true);
    const marks = await amira.locator('ul.tags').innerText();
    expect(marks).toContain('First time');
    expect(marks).toContain('Interpreter: Arabic');
    expect(marks).toContain('Meet at the gate');
    expect(await page.getByRole('group', { name: 'Brian M.' }).locator('ul.tags').innerText()).toMatch(/Mobility: Walks with a stick[\s\S]*Transport arranged/);
    const html = await page.content();
    expect(html).not.toContain('Khalil');
    expect(html).not.toContain('07700');
    await check(page, 'leader-02-register');
    await amira.getByLabel('Present').check();
    await page.getByRole('group', { name: 'Brian M.' }).getByLabel('Late').check();
    await page.getByText('New person not on the list').click();
    await page.getByLabel('Given name').fill('Morag');
    await page.getByLabel('Family name (optional)').fill('Dunn');
    await page.locator('.save-bar').getByRole('button', { name: 'Save register' }).click();
    await page.getByRole('group', { name: 'Morag D. (drop-in)' }).waitFor();
    expect(await page.locator('#save-status').innerText()).toContain('Register saved: 3 of 3 marked');
    const saved = await t.db.selectFrom('attendance').select(['status']).where('session_id', '=', sessionId).execute();
    expect(saved.map((r) => r.status).sort()).toEqual(['late', 'present', 'present']);

    await page.getByRole('link', { name: 'Raise a concern' }).click();
    await page.waitForURL(/\/concerns\/new/);
    await page.getByRole('button', { name: 'Send to the CLPs' }).click();
    // Nothing chosen: the error summary takes focus and links to each question.
    await page.locator('.error-summary').waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await check(page, 'leader-03-concern-errors');
    await page.getByLabel('Who is it about?').selectOption({ label: 'Amira K.' });
    await page.getByRole('radio', { name: /^Wellbeing/ }).check();
    await page.getByRole('radio', { name: 'A CLP should act today' }).check();
    await page.getByLabel('What did you see or hear?').fill('Amira was crying at the gate and said she has nowhere to stay tonight.');
    await page.getByRole('button', { name: 'Send to the CLPs' }).click();
    await page.waitForURL(/\/register\?done=/);
    expect(await page.getByRole('status').first().innerText()).toContain('Concern raised');
    await page.goto(`${base}/concerns`);
    expect(await page.locator('main').innerText()).toContain('Wellbeing: Amira K.');
    await check(page, 'leader-04-concerns');
    // A participant's page is not a leader's to open.
    const refused = await page.goto(`${base}/participants`);
    expect(refused?.status()).toBe(403);
    await context.close();

    // The CLP sees it on Today, opens it, and closes it with a note.
    const desk = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const clp = await desk.newPage();
    clp.setDefaultTimeout(8_000);
    await signInAs(clp, base, 'clp@possil.test', TEST_PASSWORD, /\/today/);
    await clp.getByRole('link', { name: 'Concerns to act on: 1' }).click();
    await clp.getByRole('link', { name: 'Wellbeing: Amira Khalil' }).click();
    await clp.getByRole('button', { name: 'Close the concern' }).click();
    await clp.locator('#note-error').waitFor();
    await check(clp, 'clp-05-concern-note-needed');
    await clp.getByLabel('What was done').fill('Phoned the homelessness team: a room found for tonight.');
    await clp.getByRole('button', { name: 'Close the concern' }).click();
    await clp.waitForURL(/done=/);
    expect(await clp.locator('main').innerText()).toContain('Closed, with your note.');
    await check(clp, 'clp-06-concern-closed');
    await desk.close();
  });
});
