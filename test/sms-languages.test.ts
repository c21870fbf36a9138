import { SegmentedMessage } from 'sms-segments-calculator';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { PracticeTemplates } from '../src/sms/wording/practice-templates.js';
import { previewTemplate } from '../src/sms/wording/template-preview.js';
import { TEMPLATE_NAMES } from '../src/sms/wording/templates.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';
import { twilioOnClock, type TwilioDouble } from './helpers/twilio-double.js';
import { inboundText } from './helpers/twilio-webhook.js';

let double: TwilioDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

async function withTwilio(t: TestApp) {
  const made = await twilioOnClock(t.clock);
  double = made.d;
  return made;
}

const PEOPLE = [
  { givenName: 'Amira', preferredLanguage: 'ar' },
  { givenName: 'Dariush', preferredLanguage: 'fa' },
  { givenName: 'Kasia', preferredLanguage: 'pl' },
  { givenName: 'Brian', preferredLanguage: 'en' },
];
const PHONES = ['+447700900001', '+447700900002', '+447700900003', '+447700900004'];

const ARABIC_SCRIPT = /[\u0600-\u06FF]/;

describe('texts in the language a person reads', () => {
  it('sends every kind of text in Arabic, Farsi, Polish and English, with the date in that language', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { sms, d } = await withTwilio(t);
    const { sessions } = await groupWithPeople(t, PEOPLE);
    await pass(t, sms); // welcomes
    t.clock.set('2027-03-01T10:00:30Z');
    await pass(t, sms); // 24 h reminders for Tue 2 Mar 10:00
    for (const phone of PHONES) await inboundText(t, phone, 'C');
    await t.request('PATCH', `/api/v1/sessions/${sessions[1]!.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Facilitator ill' } });
    await pass(t, sms);
    await t.request('PATCH', `/api/v1/sessions/${sessions[1]!.id}`, { token: t.clp.token, body: { status: 'scheduled' } });
    await t.request('PATCH', `/api/v1/sessions/${sessions[2]!.id}`, { token: t.clp.token, body: { startsAt: '2027-03-17T14:00:00Z' } });
    await pass(t, sms);

    // A waitlist place: a full group of one, then its member withdraws.
    const small = (
      await seedGroup(t, {
        name: 'Small group',
        capacity: 1,
        schedule: { frequency: 'weekly', weekdays: ['thu'], startTime: '11:00', durationMinutes: 60, startDate: '2027-03-04' },
      })
    ).group;
    const filler = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Filler', smsConsent: false } })).body.id;
    await t.request('POST', `/api/v1/groups/${small.id}/enrolments`, { token: t.clp.token, body: { participantId: filler } });
    const ids = (await outbox(t, 'welcome')).map((m) => m.participant_id!);
    for (const id of ids) await t.request('POST', `/api/v1/groups/${small.id}/enrolments`, { token: t.clp.token, body: { participantId: id } });
    await t.request('DELETE', `/api/v1/groups/${small.id}/enrolments/${filler}`, { token: t.clp.token });
    await pass(t, sms);

    const got = (phone: string) => d.accepted.filter((m) => m.to === phone).map((m) => m.body);
    const [ar, fa, pl, en] = PHONES.map(got) as [string[], string[], string[], string[]];

    // Each person got one of each kind, as Twilio received it.
    const kinds = ['welcome', 'reminder', 'apologies_confirmed', 'cancellation', 'back_on', 'moved'];
    for (const texts of [fa, pl, en]) expect(texts).toHaveLength(kinds.length);
    expect(ar).toHaveLength(kinds.length + 1); // and the waitlist offer below

    // Whole reminders, worded by hand: the template's words, the person's script, the date in their language.
    expect(ar).toContain('مرحبا Amira، تذكير: مجموعتك الثلاثاء، 2 مارس في 10:00 في Knightswood Park. ردّ بحرف C إذا لم تستطع الحضور. Possilpark Health Centre');
    expect(fa).toContain(
      'سلام Dariush، یادآوری: گروه شما سه‌شنبه ۲ مارس ساعت ۱۰:۰۰ در Knightswood Park. اگر نمی‌توانید بیایید، حرف C را بفرستید. Possilpark Health Centre',
    );
    expect(pl).toContain(
      'Dzień dobry Kasia, przypominamy: twoja grupa: wtorek, 2 marca 10:00, Knightswood Park. Nie przyjdziesz? Odpisz C. Possilpark Health Centre',
    );
    expect(en).toContain(
      'Hi Brian, a reminder: your Tuesday group is Tue 2 Mar at 10:00 at Knightswood Park. Reply C if you cannot come. Possilpark Health Centre',
    );

    // The other kinds: their own words and the session's date, in each language.
    const find = (texts: string[], words: string) => texts.find((b) => b.includes(words));
    expect(find(ar, 'أُلغي')).toContain('الثلاثاء، 9 مارس في 10:00');
    expect(find(ar, 'قائم')).toContain('الثلاثاء، 9 مارس في 10:00');
    expect(find(ar, 'تغيّر')).toContain('الأربعاء، 17 مارس في 14:00');
    expect(find(ar, 'سجّلنا أنك لن تحضر')).toContain('الثلاثاء، 2 مارس في 10:00');
    expect(find(ar, 'سجّلناك')).toContain('STOP');
    expect(find(fa, 'لغو شد')).toContain('سه‌شنبه ۹ مارس ساعت ۱۰:۰۰');
    expect(find(fa, 'برگزار می‌شود')).toContain('سه‌شنبه ۹ مارس ساعت ۱۰:۰۰');
    expect(find(fa, 'تغییر کرد')).toContain('چهارشنبه ۱۷ مارس ساعت ۱۴:۰۰');
    expect(find(fa, 'نمی‌آیید')).toContain('سه‌شنبه ۲ مارس ساعت ۱۰:۰۰');
    expect(find(pl, 'odwołane')).toContain('wtorek, 9 marca 10:00');
    expect(find(pl, 'jednak się odbędzie')).toContain('wtorek, 9 marca 10:00');
    expect(find(pl, 'zmiana')).toContain('środa, 17 marca 14:00');
    expect(find(pl, 'nie przyjdziesz:')).toContain('wtorek, 2 marca 10:00');
    expect(find(en, 'is cancelled')).toContain('Tue 9 Mar at 10:00');
    for (const texts of [ar, fa]) for (const b of texts) expect(b).toMatch(ARABIC_SCRIPT);
    for (const b of pl) expect(b).toMatch(/Dzień dobry|Dziękujemy|masz miejsce|spotkanie/);
    // Replies stay one Latin letter in every language.
    for (const texts of [ar, fa, pl, en])
      for (const kind of ['reminder', 'back_on', 'moved']) expect(texts.filter((b) => /\bC\b/.test(b)).length, kind).toBeGreaterThanOrEqual(3);

    // The waitlist offer went in each person's language to whoever was first on the list.
    const offers = await outbox(t, 'waitlist_offer');
    expect(offers).toHaveLength(1);
    expect(offers[0]!.status).toBe('sent');
    expect(offers[0]!.body).toContain('هناك مكان لك'); // Amira, first waiting: Arabic
    expect(offers[0]!.language).toBe('ar');

    // Every text was at most three segments, as Twilio's own calculator counts them.
    for (const m of d.accepted) expect(new SegmentedMessage(m.body).segmentsCount, m.body).toBeLessThanOrEqual(3);
    const rows = (await outbox(t)).filter((m) => m.status === 'sent');
    expect(rows.every((m) => m.segments === new SegmentedMessage(m.body).segmentsCount)).toBe(true);
  });

  it('every template in every language stays within three segments with the longest realistic values', () => {
    const library = loadTemplates();
    const t = new PracticeTemplates(library, new Map());
    let checked = 0;
    for (const [lang, files] of Object.entries(library)) {
      for (const name of TEMPLATE_NAMES) {
        const file = files[name];
        if (!file || name.startsWith('group_label')) continue;
        const p = previewTemplate(t, name, lang, file.body, 'Barmulloch Medical Practice', 'Europe/London');
        expect(p.problems, `${lang}/${name}`).toEqual([]);
        expect(new SegmentedMessage(p.text).segmentsCount, `${lang}/${name}: ${p.text}`).toBeLessThanOrEqual(3);
        if (lang !== 'en') expect(file.needsCheck, `${lang}/${name} is marked for an interpreter's check`).toBe(true);
        checked++;
      }
    }
    expect(Object.keys(library).sort()).toEqual(['ar', 'ckb', 'en', 'fa', 'pl', 'ps', 'ro', 'sk', 'ti', 'uk', 'ur']);
    // English has all ten; every language has the happiness question; seven have the HELP answer too, three borrow English for it.
    expect(checked).toBe(10 + 7 * 9 + 3 * 8);
  });

  it('falls back to English where a language has no wording, and says so', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Hodan', preferredLanguage: 'so' } as never, { givenName: 'Olek', preferredLanguage: 'pl-PL' } as never]);
    await pass(t);
    const [somali, polish] = await outbox(t, 'welcome');
    expect(somali).toMatchObject({ language: 'en', fell_back_to_english: 1, status: 'sent' });
    expect(somali!.body).toContain('you are booked into your Tuesday group');
    expect(polish).toMatchObject({ language: 'pl', fell_back_to_english: 0 });
    const page = await t.request('GET', `/participants/${somali!.participant_id}`, { headers: { cookie: `clg_session=${t.clp.token}` } });
    expect(page.text).toContain('In English: no wording in so yet');
    expect(page.text).toContain('speaks so');
  });
});
