import { getRequestListener } from '@hono/node-server';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { createPractice, createUser } from '../src/users/users-service.js';
import { chromiumAvailable, launchChromium, screenshot, seriousAxeViolations, signInAs } from './helpers/browser.js';
import { freshDb, TEST_PASSWORD, testConfig } from './helpers/test-app.js';

const hasChromium = chromiumAvailable();
const clock = new ManualClock('2027-03-02T09:00:00Z'); // Tuesday; the walk is at 10:00
const MARKED_AT = '2027-03-02T09:55:00.000Z'; // the phone's clock at the park gate
let deps: Awaited<ReturnType<typeof freshDb>>;
let browser: Browser;
let server: http.Server;
let base: string;
/** No signal at all: the server drops every connection, including the service worker's. */
let noSignal = false;
let app: ReturnType<typeof createApp>;
const wire: { path: string; status: number; bytes: number }[] = [];
const PEOPLE = ['Amira', 'Brian', 'Chloe', 'Dev', 'Eilidh', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jo'];

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await app.request(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const login = async (email: string) =>
  (
    (await (
      await app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: TEST_PASSWORD }),
      })
    ).json()) as { token: string }
  ).token;

let walkSession: number;
let ids: number[];

beforeAll(async () => {
  if (!hasChromium) return;
  deps = await freshDb();
  const practice = await createPractice(deps.db, clock, 'Possilpark Health Centre');
  await createUser(deps.db, clock, practice.id, { email: 'clp@possil.test', role: 'clp', name: 'Aisha', password: TEST_PASSWORD }, 1000);
  await createUser(deps.db, clock, practice.id, { email: 'admin@possil.test', role: 'admin', name: 'Admin', password: TEST_PASSWORD }, 1000);
  app = createApp({ db: deps.db, clock, config: { ...testConfig, publicBaseUrl: 'http://127.0.0.1' }, templates: loadTemplates() });
  const listener = getRequestListener(app.fetch);
  server = http.createServer((req, res) => {
    if (noSignal) return req.socket.destroy();
    // What went over the wire for each request: its status and bytes, headers included.
    const before = req.socket.bytesWritten;
    res.on('finish', () => wire.push({ path: req.url ?? '', status: res.statusCode, bytes: req.socket.bytesWritten - before }));
    listener(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const token = await login('clp@possil.test');
  const venue = await api('POST', '/venues', token, { name: 'Knightswood Park' });
  const group = await api('POST', '/groups', token, {
    name: 'Tuesday Health Walk',
    kind: 'health_walk',
    venueId: venue.id,
    capacity: 12,
    schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' },
  });
  ids = [];
  for (const name of PEOPLE) {
    const p = await api('POST', '/participants', token, { givenName: name, smsConsent: false });
    ids.push(p.id);
    await api('POST', `/groups/${group.id}/enrolments`, token, { participantId: p.id });
  }
  walkSession = (await api('GET', `/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, token)).items[0].id;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  noSignal = false;
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  await context.clock.setFixedTime(MARKED_AT);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInAs(page, base, 'clp@possil.test', TEST_PASSWORD);
  // Today and the coming week's registers are kept on the phone.
  await page.locator('html[data-offline-ready]').waitFor({ state: 'attached' });
  return { context, page };
}

/** A fresh start at the park gate: no marks yet, the walk's morning, its register open on the phone. */
async function atTheGate(): Promise<{ context: BrowserContext; page: Page }> {
  await deps.db.deleteFrom('attendance').execute();
  clock.set('2027-03-02T09:50:00Z');
  const opened = await phone();
  await opened.page
    .getByRole('link', { name: /Take register|Register taken/ })
    .first()
    .click();
  return opened;
}

/** Ends the CLP's every sign-in, as an expiry or a sign-out elsewhere would. */
async function endSignIn(): Promise<void> {
  const clp = await deps.db.selectFrom('users').select('id').where('email', '=', 'clp@possil.test').executeTakeFirstOrThrow();
  await deps.db.deleteFrom('auth_tokens').where('user_id', '=', clp.id).execute();
}

async function goOffline(context: BrowserContext) {
  noSignal = true;
  await context.setOffline(true);
}
async function goOnline(context: BrowserContext) {
  noSignal = false;
  await context.setOffline(false);
}

const attendance = () =>
  deps.db
    .selectFrom('attendance')
    .select(['participant_id', 'status', 'recorded_at'])
    .where('session_id', '=', walkSession)
    .orderBy('participant_id')
    .execute();
const registerWrites = () =>
  deps.db.selectFrom('audit_events').select('id').where('action', '=', 'register_write').where('entity_id', '=', walkSession).execute();

describe.skipIf(!hasChromium)('a register taken at a park gate with no signal', { timeout: 120_000 }, () => {
  it('is kept on the phone, counted as waiting across a reopen, and saved exactly once when signal returns', async () => {
    clock.set('2027-03-02T09:50:00Z');
    const { context, page } = await phone();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await goOffline(context);

    let taps = 0;
    const tap = async (target: ReturnType<Page['getByRole']>) => {
      taps++;
      await target.click();
    };
    await tap(page.getByRole('link', { name: 'Take register' }).first());
    await page.getByRole('heading', { name: 'Register: Tuesday Health Walk' }).waitFor();
    await tap(page.getByRole('button', { name: 'Everyone present' }));
    expect(await page.locator('#marked-count').innerText()).toBe('10 of 10 marked');
    await tap(page.getByRole('group', { name: 'Brian' }).getByText('Absent'));
    await tap(page.getByRole('group', { name: 'Chloe' }).getByText('Apologies'));
    // The Save bar stays on screen at the bottom of a long register.
    const bar = await page.locator('.save-bar').boundingBox();
    expect(bar!.y + bar!.height).toBeLessThanOrEqual(740);
    await tap(page.getByRole('button', { name: 'Save register' }));
    expect(taps).toBeLessThanOrEqual(5);
    // Said beside Save, where the CLP is looking, not only at the top of the page.
    const said = page.locator('#save-status').filter({ hasText: 'Saved on this phone: it goes when there is signal.' });
    await said.waitFor();
    const box = (await said.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    await page.getByRole('status').filter({ hasText: '1 register waiting to send' }).waitFor();
    await screenshot(page, '20-register-offline-waiting');
    expect(await attendance()).toEqual([]);
    await page.close();

    // Reopened later, still without signal: the phone says what waits.
    const again = await context.newPage();
    await again.goto(`${base}/today`);
    await again.getByRole('status').filter({ hasText: '1 register waiting to send' }).waitFor();

    clock.set('2027-03-02T11:30:00Z');
    await goOnline(context);
    const sent = again.getByRole('status').filter({ hasText: '1 register sent' });
    await sent.waitFor({ timeout: 4_000 }).catch(async () => {
      await again.reload(); // opening the app sends it too
      await again.locator('html[data-waiting="0"]').waitFor({ state: 'attached' });
    });
    const rows = await attendance();
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => r.status)).toEqual(['present', 'absent', 'apologies', 'present', 'present', 'present', 'present', 'present', 'present', 'present']);
    expect(new Set(rows.map((r) => r.recorded_at))).toEqual(new Set([Date.parse(MARKED_AT)]));
    expect(await registerWrites()).toHaveLength(1);
    const register = await api('GET', `/sessions/${walkSession}/register`, await login('clp@possil.test'));
    expect(register.entries[0]).toMatchObject({ givenName: 'Amira', status: 'present', recordedAt: '2027-03-02T09:55:00+00:00' });
    await context.close();
  });

  it('a queued save sent by two pages at once is applied once, and a newer mark made meanwhile is kept and explained', async () => {
    await deps.db.deleteFrom('attendance').execute();
    await deps.db.deleteFrom('audit_events').where('action', '=', 'register_write').execute();
    clock.set('2027-03-02T09:50:00Z');
    const { context, page } = await phone();
    await goOffline(context);
    await page
      .getByRole('link', { name: /Take register|Register taken/ })
      .first()
      .click();
    await page.getByRole('group', { name: 'Amira' }).getByText('Present').click();
    await page.getByRole('group', { name: 'Jo' }).getByText('Late').click();
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.getByRole('status').filter({ hasText: '1 register waiting to send' }).waitFor();
    await page.close();

    // Meanwhile, at the practice, the admin marks Amira absent (a newer mark than the phone's).
    clock.set('2027-03-02T10:20:00Z');
    await api('PUT', `/sessions/${walkSession}/register`, await login('admin@possil.test'), { entries: [{ participantId: ids[0], status: 'absent' }] });

    clock.set('2027-03-02T12:00:00Z');
    await goOnline(context);
    const [one, two] = await Promise.all([context.newPage(), context.newPage()]);
    await Promise.all([one.goto(`${base}/today`), two.goto(`${base}/today`)]);
    for (const p of [one, two]) await p.locator('html[data-waiting="0"]').waitFor({ state: 'attached' });
    const rows = await attendance();
    expect(rows.map((r) => [r.participant_id, r.status])).toEqual([
      [ids[0], 'absent'],
      [ids[9], 'late'],
    ]);
    expect(await registerWrites()).toHaveLength(2); // the admin's, and the phone's once
    await one.reload();
    await one.getByRole('status').filter({ hasText: 'Amira was not changed: a later mark was already saved' }).waitFor();
    const violations = await seriousAxeViolations(one);
    expect(violations.map((v) => v.id)).toEqual([]);
    await screenshot(one, '21-register-sync-problem');
    await context.close();
  });

  it('marks survive a sign-in that expired in the middle of the register', async () => {
    const { context, page } = await atTheGate();
    await page.getByRole('group', { name: 'Hana' }).getByText('Late').click();
    // The session ends while the CLP is marking (expired, or signed out elsewhere).
    await endSignIn();
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.getByRole('status').filter({ hasText: '1 register waiting to send: sign in again to send' }).waitFor();
    // Beside Save too, with the way on.
    await page.locator('#save-status').getByRole('link', { name: 'Sign in again' }).click();
    await page.getByLabel('Email').fill('clp@possil.test');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('html[data-waiting="0"]').waitFor({ state: 'attached' });
    expect((await attendance()).map((r) => [r.participant_id, r.status])).toEqual([[ids[7], 'late']]);
    await context.close();
  });

  it("with signal, Save shows the saved register in place: a later mark kept by the server replaces the phone's own", async () => {
    const { context, page } = await atTheGate();
    await page.getByRole('group', { name: 'Amira' }).getByText('Present').click();
    await page.getByRole('group', { name: 'Gus' }).getByText('Late').click();
    // Meanwhile the admin marks Amira absent, later than the phone's mark.
    clock.set('2027-03-02T10:20:00Z');
    await api('PUT', `/sessions/${walkSession}/register`, await login('admin@possil.test'), { entries: [{ participantId: ids[0], status: 'absent' }] });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    const before = page.url();
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.locator('#save-status').filter({ hasText: 'Amira: a later mark was already saved, and is shown.' }).waitFor();
    expect(await page.locator('#save-status').innerText()).toContain('Register saved: 2 of 10 marked.');
    expect(await page.getByRole('group', { name: 'Amira' }).getByLabel('Absent').isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: 'Gus' }).getByLabel('Late').isChecked()).toBe(true);
    expect(await page.locator('#marked-count').innerText()).toBe('2 of 10 marked');
    // One round trip, and no page load.
    expect(page.url()).toBe(before);
    expect(requests).toEqual([expect.stringMatching(/^PUT \/api\/v1\/sessions\/\d+\/register$/)]);
    await context.close();
  });

  it('a save sent when signal returns shows, in the Save bar, the register the server kept: its later marks, its count', async () => {
    const { context, page } = await atTheGate();
    await goOffline(context);
    await page.getByRole('group', { name: 'Amira' }).getByText('Present').click();
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.locator('#save-status').filter({ hasText: 'Saved on this phone: it goes when there is signal.' }).waitFor();
    // Meanwhile, at the practice, four are marked, Amira among them, later than the phone.
    clock.set('2027-03-02T10:20:00Z');
    await api('PUT', `/sessions/${walkSession}/register`, await login('admin@possil.test'), {
      entries: [0, 1, 2, 3].map((i) => ({ participantId: ids[i], status: i === 0 ? 'absent' : 'present' })),
    });
    await goOnline(context);
    await page.locator('#save-status').filter({ hasText: 'Register saved: 4 of 10 marked.' }).waitFor();
    expect(await page.locator('#save-status').innerText()).toContain('Amira: a later mark was already saved, and is shown.');
    expect(await page.locator('#save-status').innerText()).not.toContain('Saved on this phone');
    expect(await page.getByRole('group', { name: 'Amira' }).getByLabel('Absent').isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: 'Dev' }).getByLabel('Present').isChecked()).toBe(true);
    expect(await page.locator('#marked-count').innerText()).toBe('4 of 10 marked');
    // A sign-in that ends before the next try is said in the bar, with the way on.
    await endSignIn();
    await goOffline(context);
    await page.getByRole('group', { name: 'Gus' }).getByText('Late').click();
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.locator('#save-status').filter({ hasText: 'Saved on this phone: it goes when there is signal.' }).waitFor();
    await goOnline(context);
    await page.locator('#save-status').getByRole('link', { name: 'Sign in again' }).waitFor();
    await context.close();
  });

  it('no control that takes focus is hidden behind the Save bar, at 360 x 640 and at 200% zoom', async () => {
    clock.set('2027-03-02T09:50:00Z');
    for (const viewport of [
      { width: 360, height: 640 },
      // 200% zoom on that phone: half the CSS pixels each way.
      { width: 180, height: 320 },
    ]) {
      const { context, page } = await phone();
      await page.setViewportSize(viewport);
      await page.goto(`${base}/sessions/${walkSession}/register`);
      await page.locator('body').click({ position: { x: 1, y: 1 } });
      const hidden: string[] = [];
      let stops = 0;
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const where = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          const bar = document.querySelector('.save-bar')!;
          const r = el.getBoundingClientRect();
          const b = bar.getBoundingClientRect();
          const covered = !bar.contains(el) && getComputedStyle(bar).position === 'sticky' && r.bottom > b.top && r.top < b.bottom;
          return { label: `${el.tagName} ${el.getAttribute('name') ?? el.textContent?.trim().slice(0, 20)}`, covered, last: el.id === 'headcount' };
        });
        if (!where) continue;
        stops++;
        if (where.covered) hidden.push(where.label);
      }
      expect(stops, `${viewport.width} px`).toBeGreaterThan(30);
      expect(hidden, `${viewport.width} px`).toEqual([]);
      await context.close();
    }
  });

  it('a drop-in is found by typing part of a name, without losing the marks made', async () => {
    await deps.db.deleteFrom('attendance').execute();
    const extra = await api('POST', '/participants', await login('clp@possil.test'), { givenName: 'Zainab', familyName: 'Drop-In', smsConsent: false });
    clock.set('2027-03-02T09:50:00Z');
    const { context, page } = await phone();
    await page.goto(`${base}/sessions/${walkSession}/register`);
    await page.getByRole('group', { name: 'Amira' }).getByText('Present').click();
    await page.getByLabel('Find someone who is not enrolled').fill('zai');
    await page.getByLabel('Find someone who is not enrolled').press('Enter');
    await page.getByRole('checkbox', { name: 'Zainab Drop-In' }).check();
    expect(await page.getByRole('group', { name: 'Amira' }).getByLabel('Present').isChecked()).toBe(true);
    // Counted as soon as ticked, not only after Save; and a new person as soon as named.
    expect(await page.locator('#marked-count').innerText()).toBe('2 of 11 marked');
    await page.getByText('New person not on the list').click();
    await page.getByLabel('Given name').fill('Roza');
    expect(await page.locator('#marked-count').innerText()).toBe('3 of 12 marked');
    await page.getByLabel('Given name').fill('');
    expect(await page.locator('#marked-count').innerText()).toBe('2 of 11 marked');
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.locator('#save-status').filter({ hasText: 'Register saved: 2 of 11 marked.' }).waitFor();
    // The drop-in now has a row of their own, marked present.
    expect(await page.getByRole('group', { name: 'Zainab Drop-In (drop-in)' }).getByLabel('Present').isChecked()).toBe(true);
    expect((await attendance()).map((r) => [r.participant_id, r.status])).toEqual([
      [ids[0], 'present'],
      [extra.id, 'present'],
    ]);
    const violations = await seriousAxeViolations(page);
    expect(violations.map((v) => v.id)).toEqual([]);
    await context.close();
    await deps.db.deleteFrom('attendance').execute();
  });

  it('keeps Today from the visit that installed the worker, even when the worker takes charge of the page before it is asked', async () => {
    noSignal = false;
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await context.clock.setFixedTime(MARKED_AT);
    // The worker claims the page before the page's own script asks it to keep anything: the order a
    // slow phone may see, which left Today unkept (a third of runs in the phone bench).
    await context.addInitScript(() => {
      const sw = navigator.serviceWorker;
      if (!sw) return;
      const register = sw.register.bind(sw);
      sw.register = ((...args: Parameters<ServiceWorkerContainer['register']>) =>
        register(...args).then((reg) =>
          sw.controller
            ? reg
            : new Promise<ServiceWorkerRegistration>((resolve) => sw.addEventListener('controllerchange', () => resolve(reg), { once: true })),
        )) as ServiceWorkerContainer['register'];
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, base, 'clp@possil.test', TEST_PASSWORD);
    await page.locator('html[data-offline-ready]').waitFor({ state: 'attached' });
    await goOffline(context);
    const again = await context.newPage();
    await again.goto(`${base}/today`);
    expect(await again.locator('main').innerText()).not.toContain('This page was not kept on this phone');
    await again.getByRole('heading', { name: 'Today', exact: true }).first().waitFor({ timeout: 5_000 });
    await context.close();
  });

  it('a second visit to Today with nothing changed is answered 304 for Today and every kept register: no page again, no audit row, under 3 KB', async () => {
    clock.set('2027-03-02T09:50:00Z');
    const { context, page } = await phone();
    const audits = async () => (await deps.db.selectFrom('audit_events').select('id').execute()).length;
    const auditsBefore = await audits();
    wire.length = 0;
    await page.goto(`${base}/today`);
    await page.locator('html[data-offline-ready]').waitFor({ state: 'attached' });
    // Today is a 304, and the week's kept registers are asked after in one request, not one each.
    const pages = wire.filter((w) => /^\/(today|sessions\/\d+\/register)$/.test(w.path.split('?')[0]!));
    expect(pages.map((w) => `${w.path} ${w.status}`)).toEqual(['/today 304']);
    expect(wire.filter((w) => w.path.startsWith('/offline/stale?')).map((w) => w.status)).toEqual([200]);
    expect(await audits()).toBe(auditsBefore);
    // The browser's check for a new worker sends the ETag it holds: an unchanged sw.js is a 304.
    for (let i = 0; i < 30 && !wire.some((w) => w.path === '/sw.js'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(wire.filter((w) => w.path === '/sw.js').map((w) => w.status)).toEqual([304]);
    const bytes = wire.reduce((n, w) => n + w.bytes, 0);
    expect(bytes, JSON.stringify(wire)).toBeLessThan(3 * 1024);
    // A register changed since (a mark saved elsewhere): only that one comes again, whole.
    await api('PUT', `/sessions/${walkSession}/register`, await login('admin@possil.test'), { entries: [{ participantId: ids[4], status: 'late' }] });
    wire.length = 0;
    await page.goto(`${base}/today`);
    for (let i = 0; i < 30 && !wire.some((w) => w.path === `/sessions/${walkSession}/register`); i++) await new Promise((r) => setTimeout(r, 100));
    expect(wire.filter((w) => /^\/sessions\/\d+\/register$/.test(w.path)).map((w) => `${w.path} ${w.status}`)).toEqual([
      `/sessions/${walkSession}/register 200`,
    ]);
    await context.close();
  });

  it('prints one page per session with names, boxes and the headcount line', async () => {
    const { context, page } = await phone();
    await page.goto(`${base}/sessions/${walkSession}/register/print`);
    expect(await page.locator('table.boxes tbody tr').count()).toBe(PEOPLE.length + 6);
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(1);
    expect(await page.locator('.write-in').first().innerText()).toContain('headcount');
    await context.close();
  });
  it("with no signal, a regular drop-in is found by name from the group's recent drop-ins kept with the register, not added twice", async () => {
    const token = await login('clp@possil.test');
    const yasmin = await api('POST', '/participants', token, { givenName: 'Yasmin', familyName: 'Regular', smsConsent: false });
    clock.set('2027-03-02T10:30:00Z');
    await api('PUT', `/sessions/${walkSession}/register`, token, { entries: [{ participantId: yasmin.id, status: 'present', dropIn: true }] });
    const walk = await deps.db.selectFrom('sessions').select('group_id').where('id', '=', walkSession).executeTakeFirstOrThrow();
    const next = await deps.db
      .selectFrom('sessions')
      .select('id')
      .where('group_id', '=', walk.group_id)
      .orderBy('starts_at')
      .offset(1)
      .limit(1)
      .executeTakeFirstOrThrow();
    clock.set('2027-03-09T09:50:00Z');
    const { context, page } = await phone();
    await context.clock.setFixedTime('2027-03-09T09:55:00.000Z');
    await page.goto(`${base}/sessions/${next.id}/register`);
    await goOffline(context);
    await page.getByLabel('Find someone who is not enrolled').fill('yas');
    await page.getByLabel('Find someone who is not enrolled').press('Enter');
    await page.getByRole('checkbox', { name: 'Yasmin Regular' }).check();
    expect(await page.locator('#marked-count').innerText()).toBe('1 of 11 marked');
    await page.getByRole('button', { name: 'Save register' }).click();
    await page.locator('#save-status').filter({ hasText: 'Saved on this phone' }).waitFor();
    await goOnline(context);
    await page.locator('#save-status').filter({ hasText: 'Register saved: 1 of 11 marked.' }).waitFor();
    const marks = await deps.db.selectFrom('attendance').select(['participant_id', 'status', 'drop_in']).where('session_id', '=', next.id).execute();
    expect(marks).toEqual([{ participant_id: yasmin.id, status: 'present', drop_in: 1 }]);
    expect(await deps.db.selectFrom('participants').select('id').where('given_name', '=', 'Yasmin').execute()).toHaveLength(1);
    await context.close();
  });
});
