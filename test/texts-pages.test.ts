import { describe, expect, it } from 'vitest';
import { groupWithPeople, pass } from './helpers/sms-setup.js';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp } from './helpers/test-app.js';

describe('the texts pages', () => {
  it('an admin rewords a Polish text on the page: errors on the form with the words kept, then saved, then reset after confirming', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const admin = await pagesAs(t, t.admin.token);
    const list = await admin.get('/texts?language=pl');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Polish · polski');
    expect(list.html).toContain('Default wording (draft: needs checking by an interpreter)');
    expect(list.html).toContain('href="/texts/pl/reminder"');

    const editor = await admin.get('/texts/pl/reminder');
    expect(editor.html).toContain('This is a draft translation');
    expect(editor.html).toContain('UCS-2');
    expect(editor.html).toContain('Mohammad-Hossein');

    const typo = 'Cześć {{imie}}, spotkanie {{when}}. Nie przyjdziesz? Odpisz C.';
    const refused = await admin.post('/texts/pl/reminder', { body: typo, action: 'save' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('There is a problem');
    expect(refused.html).toContain('href="#body"');
    expect(refused.html).toContain('{{imie}} is not a placeholder');
    expect(refused.html).toContain('Cześć {{imie}}, spotkanie {{when}}.'); // what was typed is kept

    const preview = await admin.post('/texts/pl/reminder', { body: 'Cześć {{givenName}}: {{when}}. Nie przyjdziesz? Odpisz C.', action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('Cześć Mohammad-Hossein:');
    expect(await t.db.selectFrom('sms_templates').selectAll().execute()).toEqual([]);

    const saved = await admin.post('/texts/pl/reminder', { body: 'Cześć {{givenName}}: {{when}}. Nie przyjdziesz? Odpisz C.', action: 'save' });
    expect(saved.status).toBe(303);
    expect((await admin.get(saved.location!)).html).toContain('Your practice’s wording');

    const confirm = await admin.get('/texts/pl/reminder/reset');
    expect(confirm.html).toContain('Remove our wording');
    expect(confirm.html).toContain('przypominamy'); // the default it goes back to
    expect((await admin.post('/texts/pl/reminder/reset')).status).toBe(303);
    expect(await t.db.selectFrom('sms_templates').selectAll().execute()).toEqual([]);
    expect((await (await pagesAs(t, t.clp.token)).get('/texts')).status).toBe(403);
  });

  it('the admin is warned past 80% of the budget and told when reminders pause; the messages and reports pages show segments', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t);
    const admin = await pagesAs(t, t.admin.token);
    // Refused on the page itself: the problem beside the field, what was typed kept, "Error:" in the title.
    const lots = await admin.post('/texts/budget', { budget: 'lots' });
    expect(lots.status).toBe(400);
    expect(lots.html).toContain('<title>Error: Texts');
    expect(lots.html).toContain('id="budget-error"');
    expect(lots.html).toContain('value="lots"');
    // The page keeps to the API's bound (1 to 10,000,000), not a looser one of its own.
    expect((await admin.post('/texts/budget', { budget: '20000000' })).status).toBe(400);
    expect((await admin.post('/texts/budget', { budget: '5' })).status).toBe(303);
    expect((await admin.get('/groups')).html).toContain('4 of this month&#39;s 5 text segments are used (80%)');
    await admin.post('/texts/budget', { budget: '4' });
    const paused = await admin.get('/today');
    expect(paused.html).toContain('Reminders are paused');
    expect((await (await pagesAs(t, t.clp.token)).get('/today')).html).not.toContain('Reminders are paused');
    const messages = await admin.get('/messages');
    expect(messages.html).toContain('This month: 2 texts sent, 4 segments');
    const reports = await admin.get('/reports');
    expect(reports.html).toContain('Texts sent: segments per month');
    expect(reports.html).toContain('Tuesday Health Walk');
    await admin.post('/texts/budget', { budget: '' });
    expect((await admin.get('/today')).html).not.toContain('class="warning-banner"');
  });

  it('the participant form offers the languages by name in English and their own script', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const clp = await pagesAs(t, t.clp.token);
    const form = await clp.get('/participants/new');
    expect(form.html).toContain('<option value="fa">Farsi (Persian) · فارسی</option>');
    expect(form.html).toContain('<option value="ckb">Sorani Kurdish · کوردیی ناوەندی</option>');
    expect(form.html).toContain('<option value="ti">Tigrinya · ትግርኛ</option>');
  });
});
