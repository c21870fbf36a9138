import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, fillDate, launchChromium, screenshot, seriousAxeViolations, serveOnLoopback } from './helpers/browser.js';
import { groupWithPeople } from './helpers/sms-setup.js';
import { inboundText } from './helpers/twilio-webhook.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';

const hasChromium = chromiumAvailable();

/**
 * Every page an admin can reach, at 320 px (WCAG 1.4.10 reflow: nothing wider than the screen) and
 * checked with axe; a screenshot of each at 360 px for a reviewer.
 */
describe.skipIf(!hasChromium)('every page on the narrowest phone (and a desktop)', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let server: ServerType;
  let base: string;
  let pages: [name: string, path: string][];

  beforeAll(async () => {
    t = await makeTestApp('2027-03-02T09:30:00Z');
    const { group, ids, sessions } = await groupWithPeople(t, [
      { givenName: 'Amira-Khadija' },
      { givenName: 'Brian' },
      { givenName: 'Chloe', smsConsent: false },
    ]);
    const session = sessions[0]!.id;
    await t.request('PUT', `/api/v1/sessions/${session}/register`, { token: t.clp.token, body: { entries: [{ participantId: ids[0], status: 'present' }] } });
    await t.request('POST', `/api/v1/sessions/${session}/messages`, {
      token: t.clp.token,
      body: { body: 'Bring a waterproof today, the forecast is for heavy showers by the canal.' },
    });
    // A reply, so the messages page shows its replies table.
    await inboundText(t, '+447700900002', 'Can I bring my sister next week?');
    await t.request('POST', '/api/v1/calendar-feeds', { token: t.admin.token, body: { scope: 'group', groupId: group.id } });
    const referral = await t.request('POST', '/api/v1/referrals', {
      token: t.admin.token,
      body: { participantId: ids[2], reason: 'Lonely since moving here', suggestedGroupId: group.id, consent: { toBeReferred: true, shareWithReferrer: true } },
    });
    await t.request('PATCH', `/api/v1/referrals/${referral.body.id}`, { token: t.admin.token, body: { status: 'accepted' } });
    // Listed in public, so the what's-on page and the group's public page show a real listing.
    await t.request('PATCH', `/api/v1/venues/${group.venueId}`, { token: t.admin.token, body: { address: 'Alderman Road, Glasgow', postcode: 'G13 3AB' } });
    await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.admin.token,
      body: {
        public: true,
        publicName: 'Knightswood Health Walk',
        publicSummary: 'A gentle hour-long walk round Knightswood Park at an easy pace, with benches on the way. Everyone welcome.',
        publicContact: { phone: '0141 232 1234' },
      },
    });
    const concern = await t.request('POST', '/api/v1/concerns', {
      token: t.clp.token,
      body: { participantId: ids[1], sessionId: session, kind: 'wellbeing', urgency: 'today', text: 'Brian seemed very low and left early.' },
    });
    const p = ids[0]!;
    pages = [
      ['today', '/today'],
      ['groups', '/groups'],
      ['group', `/groups/${group.id}`],
      ['group-new', '/groups/new'],
      ['group-edit', `/groups/${group.id}/edit`],
      ['session', `/sessions/${session}`],
      ['register', `/sessions/${session}/register`],
      ['register-print', `/sessions/${session}/register/print`],
      ['message', `/sessions/${session}/message`],
      ['participants', '/participants'],
      ['participant', `/participants/${p}`],
      ['participant-new', '/participants/new'],
      ['participant-edit', `/participants/${p}/edit`],
      ['participant-summary', `/participants/${p}/summary`],
      ['outcome-new', `/participants/${p}/outcomes/new?measure=swemwbs`],
      ['messages', '/messages'],
      ['messages-sent', '/messages?show=sent'],
      ['messages-queued', '/messages?show=queued'],
      ['feeds', '/feeds'],
      ['reports', '/reports'],
      ['impact', '/reports/impact'],
      ['gp-appointments', '/reports/gp-appointments'],
      ['retention', '/retention'],
      ['venues', '/venues'],
      ['venue-edit', `/venues/${group.venueId}/edit`],
      ['texts', '/texts'],
      ['text-editor', '/texts/fa/reminder'],
      ['users', '/users'],
      ['settings', '/practice/settings'],
      ['closures', '/closures'],
      ['follow-ups', '/follow-ups'],
      ['concerns', '/concerns'],
      ['concern', `/concerns/${concern.body.id}`],
      ['concern-export', `/concerns/${concern.body.id}/export`],
      ['concern-new', `/concerns/new?sessionId=${session}`],
      ['leaders', '/leaders'],
      ['practices', '/practices'],
      ['referrals', '/referrals'],
      ['referral-new', '/referrals/new'],
      ['referral', `/referrals/${referral.body.id}`],
      ['group-public', `/groups/${group.id}/public`],
      ['whats-on', '/whats-on'],
      ['not-found', '/no-such-page'],
    ];
    ({ server, base } = await serveOnLoopback(t.app.fetch));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => server?.close(() => r()));
  });

  it('no page is wider than 320 px and axe finds nothing on any of them', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    await context.addCookies([{ name: 'clg_session', value: t.admin.token, url: base }]);
    const page = await context.newPage();
    const wide: string[] = [];
    const labels: string[] = [];
    const failing: string[] = [];
    for (const [name, path] of pages) {
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(`${base}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 320) {
        const culprits = await page.evaluate(() =>
          [...document.querySelectorAll('body *')]
            .filter((e) => !e.closest('header') && e.getBoundingClientRect().right > 321 && ![...e.children].some((k) => k.getBoundingClientRect().right > 321))
            .slice(0, 3)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''}`),
        );
        wide.push(`${name}: ${width} px (${culprits.join(', ')})`);
      }
      // On a phone a table's cells stack, each led by its data-label: that must be its column's heading.
      const mislabelled = await page.evaluate(() =>
        [...document.querySelectorAll('table.reflow')].flatMap((table) => {
          const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
          return [...table.querySelectorAll('tbody tr')].flatMap((tr) =>
            [...tr.children].flatMap((cell, i) => {
              const label = cell.getAttribute('data-label');
              return label !== null && label !== heads[i] ? [`"${label}" under "${heads[i]}"`] : [];
            }),
          );
        }),
      );
      for (const m of new Set(mislabelled)) labels.push(`${name}: a cell labelled ${m}`);
      const violations = await seriousAxeViolations(page);
      for (const v of violations) failing.push(`${name}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      await page.setViewportSize({ width: 360, height: 740 });
      await screenshot(page, `sweep-${name}`);
      // And on a desktop: nothing wider than the window there either.
      await page.setViewportSize({ width: 1280, height: 800 });
      const desktop = await page.evaluate(() => document.documentElement.scrollWidth);
      if (desktop > 1280) wide.push(`${name} at 1280 px: ${desktop} px`);
    }
    await context.close();
    expect(wide).toEqual([]);
    expect(labels).toEqual([]);
    expect(failing).toEqual([]);
  });

  it('the check pages and forms with problems pass axe and fit 320 px too', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    await context.addCookies([{ name: 'clg_session', value: t.admin.token, url: base }]);
    const page = await context.newPage();
    const failing: string[] = [];
    const look = async (name: string) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 320) failing.push(`${name}: ${width} px wide`);
      for (const v of await seriousAxeViolations(page)) failing.push(`${name}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      await screenshot(page, `state-${name}`);
    };
    const [, groupPath] = pages.find(([n]) => n === 'group')!;
    const [, sessionPath] = pages.find(([n]) => n === 'session')!;
    const [, venuePath] = pages.find(([n]) => n === 'venue-edit')!;

    await page.goto(`${base}${groupPath}`);
    await page.getByRole('button', { name: /^Withdraw Amira/ }).click();
    await page.getByRole('heading', { name: /^Withdraw Amira-Khadija/ }).waitFor();
    await look('withdraw-check');

    await page.goto(`${base}${sessionPath}`);
    await page.getByLabel('Start time').fill('14:30');
    await page.getByRole('button', { name: 'Move session' }).click();
    await page.getByRole('heading', { name: 'Check before you move this session' }).waitFor();
    await look('move-check');

    await page.goto(`${base}${sessionPath}`);
    await fillDate(page, 'New date', '2027-01-05');
    await page.getByRole('button', { name: 'Move session' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await look('move-error');

    await page.goto(`${base}/closures`);
    await fillDate(page, 'Day the practice is closed', '2027-03-09');
    await page.getByRole('button', { name: 'Check what closing it does' }).click();
    await page.getByRole('heading', { name: /^Close the practice on/ }).waitFor();
    await look('closure-check');

    await page.goto(`${base}${venuePath}`);
    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await look('venue-error');
    await page.goto(`${base}${venuePath}`);
    await page.getByRole('button', { name: 'Archive this venue' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await look('venue-archive-refused');

    await context.close();
    expect(failing).toEqual([]);
  });
});
