import { pagesAs } from './helpers/pages.js';
import { parseEnv } from '../src/config.js';
import { describe, expect, it } from 'vitest';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

const FARSI_OWN = 'درود {{givenName}}، {{groupLabel}} {{when}}، {{place}}. اگر نمی‌آیید C بفرستید. {{practiceName}}';

describe("a practice's own wording for its texts", () => {
  it('an override is used instead of the file, and removing it brings the file back', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, sessions } = await groupWithPeople(t, [{ givenName: 'Dariush', preferredLanguage: 'fa' } as never]);
    const put = await t.request('PUT', '/api/v1/sms-templates/fa/reminder', { token: t.admin.token, body: { body: FARSI_OWN } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ language: 'fa', name: 'reminder', source: 'practice', needsCheck: false, body: FARSI_OWN });
    expect(put.body.defaultBody).toContain('یادآوری');

    t.clock.set('2027-03-01T10:00:30Z');
    await pass(t);
    const first = (await outbox(t, 'reminder')).find((m) => m.status === 'sent')!;
    expect(first.body).toBe('درود Dariush، گروه شما سه‌شنبه ۲ مارس ساعت ۱۰:۰۰، Knightswood Park. اگر نمی‌آیید C بفرستید. Possilpark Health Centre');
    expect(first.language).toBe('fa');

    const reset = await t.request('DELETE', '/api/v1/sms-templates/fa/reminder', { token: t.admin.token });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ source: 'file', needsCheck: true });
    t.clock.set('2027-03-08T10:00:30Z');
    await pass(t);
    const second = (await outbox(t, 'reminder')).find((m) => m.status === 'sent' && m.session_id === sessions[1]!.id)!;
    expect(second.body).toContain('یادآوری: گروه شما سه‌شنبه ۹ مارس');
    expect(second.body).not.toContain('درود');
    expect(group.id).toBeGreaterThan(0);
  });

  it('a practice can add wording in a language we have none in, and it is used', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Hodan', preferredLanguage: 'so' } as never]);
    const put = await t.request('PUT', '/api/v1/sms-templates/so/welcome', {
      token: t.admin.token,
      body: { body: 'Salaan {{givenName}}, waxaad ku jirtaa {{groupLabel}}: {{when}}, {{place}}. {{practiceName}}' },
    });
    expect(put.status).toBe(200);
    await pass(t);
    const [welcome] = await outbox(t, 'welcome');
    // The group label has no Somali wording, so the phrase comes from English; the text itself is theirs.
    expect(welcome).toMatchObject({ language: 'so', fell_back_to_english: 0 });
    expect(welcome!.body).toMatch(/^Salaan Hodan, waxaad ku jirtaa your Tuesday group: /);
    const list = await t.request('GET', '/api/v1/sms-templates', { token: t.admin.token });
    expect(
      list.body.items.filter((i: { language: string }) => i.language === 'so').map((i: { name: string; source: string }) => [i.name, i.source]),
    ).toContainEqual(['welcome', 'practice']);
  });

  it('refuses unknown placeholders, texts beyond 3 segments, other roles and unknown templates, changing nothing', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const put = (path: string, body: unknown, token = t.admin.token) => t.request('PUT', `/api/v1/sms-templates/${path}`, { token, body });
    const typo = await put('pl/reminder', { body: 'Cześć {{givenname}}, {{when}}' });
    expect(typo.status).toBe(422);
    expect(typo.body.error.message).toContain('{{givenname}} is not a placeholder');
    const long = await put('en/reminder', { body: `Hi {{givenName}}, ${'please remember your group today '.repeat(14)}{{when}}` });
    expect(long.status).toBe(422);
    expect(long.body.error.details.problems[0]).toMatch(/would be 4 texts \(GSM-7\); keep it to 3/);
    expect((await put('en/reminder', { body: 'Hi {{givenName}}' }, t.clp.token)).status).toBe(403);
    expect((await put('en/remindr', { body: 'Hi' })).status).toBe(404);
    expect((await put('fa/adhoc', { body: '{{message}}' })).status).toBe(404);
    expect((await put('not a language/reminder', { body: 'Hi' })).status).toBe(404);
    expect((await put('en/reminder', { body: '' })).status).toBe(400);
    expect((await put('en/reminder', { body: 'Hi\u0000' })).status).toBe(400);
    const list = await t.request('GET', '/api/v1/sms-templates', { token: t.admin.token });
    expect(list.body.items.filter((i: { source: string }) => i.source === 'practice')).toEqual([]);
    expect(list.body.items.find((i: { language: string; name: string }) => i.language === 'pl' && i.name === 'reminder')).toMatchObject({
      source: 'file',
      needsCheck: true,
      languageName: 'Polish · polski',
    });
    expect(list.body.items.filter((i: { name: string }) => i.name === 'adhoc')).toHaveLength(1);
  });

  it('costs are in pounds unless configured otherwise: this is a UK service', async () => {
    const env = parseEnv({});
    expect([env.SMS_SEGMENT_PRICE, env.SMS_PRICE_CURRENCY]).toEqual([0.04, 'GBP']);
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const admin = await pagesAs(t, t.admin.token);
    const page = await admin.get('/texts');
    expect(page.html).toContain('0 segments sent in 2027-03 (£0.00)');
    const editor = await admin.get('/texts/en/reminder');
    expect(editor.html).toContain('at £0.0400 a segment');
    expect(page.html + editor.html).not.toMatch(/US\$|USD/);
  });

  it('previews with long values, the encoding, segments and cost per text and per month for a group', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await groupWithPeople(t, [
      { givenName: 'Dariush', preferredLanguage: 'fa' } as never,
      { givenName: 'Shirin', preferredLanguage: 'fa-IR' } as never,
      { givenName: 'Brian' },
    ]);
    const preview = await t.request('POST', '/api/v1/sms-templates/preview', {
      token: t.admin.token,
      body: { language: 'fa', name: 'reminder', body: FARSI_OWN, groupId: group.id },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.preview.text).toContain('Mohammad-Hossein');
    expect(preview.body.preview.segments).toMatchObject({ encoding: 'UCS-2', segments: 3 });
    expect(preview.body.costPerText).toBeCloseTo(3 * 0.04, 6);
    // Tuesdays 2, 9, 16, 23 and 30 March × two Farsi readers × two reminders each.
    expect(preview.body.perMonth).toMatchObject({ texts: 20, segments: 60 });
    expect(preview.body.perMonth.cost).toBeCloseTo(60 * 0.04, 4);
    const english = await t.request('POST', '/api/v1/sms-templates/preview', {
      token: t.admin.token,
      body: { language: 'en', name: 'reminder', body: 'Hi {{givenName}}, {{groupLabel}} {{when}}. {{practiceName}}', groupId: group.id },
    });
    expect(english.body.preview.segments).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(english.body.perMonth).toMatchObject({ texts: 10, segments: 10 });
    const bad = await t.request('POST', '/api/v1/sms-templates/preview', {
      token: t.admin.token,
      body: { language: 'fa', name: 'reminder', body: '{{oops}}' },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.preview.problems[0]).toContain('{{oops}} is not a placeholder');
    const otherGroup = await t.request('POST', '/api/v1/sms-templates/preview', {
      token: t.otherAdmin.token,
      body: { language: 'en', name: 'reminder', body: 'Hi', groupId: group.id },
    });
    expect(otherGroup.status).toBe(404);
  });
});
