import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { weekdayName, sessionText, type SessionTextKind } from '../src/sms/wording/message-context.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { PracticeTemplates } from '../src/sms/wording/practice-templates.js';
import { groupWithPeople, pass } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

const t = new PracticeTemplates(loadTemplates(), new Map());
const zone = 'Europe/London';
const tuesday = DateTime.fromISO('2027-03-02T10:00', { zone }).toMillis();
const facts = (over: Record<string, unknown> = {}) => ({
  starts_at: tuesday,
  sms_label: null,
  sms_labels: null,
  weekdays: 'tue',
  venue_name: 'Knightswood Park',
  practice_name: 'Possilpark Health Centre',
  timezone: zone,
  cancel_reason: 'rain',
  ...over,
});
const KINDS: SessionTextKind[] = ['reminder', 'welcome', 'waitlist_offer', 'cancellation', 'back_on', 'moved', 'apologies_confirmed'];
const LANGS = ['ar', 'ckb', 'fa', 'pl', 'ps', 'ro', 'sk', 'ti', 'uk', 'ur'];
const times = (text: string, word: string) => text.split(word).length - 1;

describe('the name a text gives a group', () => {
  it.each(LANGS)('in %s no text names the weekday twice (the label leaves the day to the date)', (lang) => {
    const day = weekdayName('tue', lang)!;
    for (const kind of KINDS) {
      const { body, language } = sessionText(t, kind, facts(), { given_name: 'Amira', preferred_language: lang });
      if (language !== lang) continue;
      expect(times(body, day), `${lang}/${kind}: ${body}`).toBeLessThanOrEqual(1);
    }
  });

  it("an English label never goes into another language's text: that language's own label, or its neutral words", () => {
    const labelled = facts({ sms_label: 'your walk group', sms_labels: JSON.stringify({ pl: 'twój spacer' }) });
    const en = sessionText(t, 'welcome', labelled, { given_name: 'Brian', preferred_language: 'en' }).body;
    const pl = sessionText(t, 'welcome', labelled, { given_name: 'Kasia', preferred_language: 'pl' }).body;
    const ar = sessionText(t, 'welcome', labelled, { given_name: 'Amira', preferred_language: 'ar' }).body;
    expect(en).toContain('your walk group');
    expect(pl).toContain('twój spacer');
    expect(ar).not.toContain('your walk group');
    expect(ar).toContain('مجموعتك');
  });

  it('a label never contradicts the date beside it: a one-off on a Monday of a Friday group is "your group"', () => {
    const monday = DateTime.fromISO('2027-12-06T10:00', { zone }).toMillis();
    const body = sessionText(t, 'welcome', facts({ weekdays: 'fri', starts_at: monday }), { given_name: 'Brian', preferred_language: 'en' }).body;
    expect(body).toContain('you are booked into your group. Next one is Mon 6 Dec');
    expect(body).not.toContain('Friday');
    // A move still names the day it moved from: that is the news.
    const moved = sessionText(t, 'moved', facts({ starts_at: monday }), { given_name: 'Brian', preferred_language: 'en' }).body;
    expect(moved).toContain('your Tuesday group has moved');
  });

  it('smsLabels are kept on the group, refused when not a language tag or one line, and used for texts in that language', async () => {
    const app = await makeTestApp('2027-03-01T09:00:00Z');
    const bad = await app.request('POST', '/api/v1/groups', {
      token: app.clp.token,
      body: {
        name: 'x',
        kind: 'other',
        venueId: 1,
        schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' },
        smsLabels: { Polish: 'x' },
      },
    });
    expect(bad.status).toBe(400);
    const { group, ids } = await groupWithPeople(app, [{ givenName: 'Kasia' }], { smsLabel: 'your walk', smsLabels: { pl: 'twój spacer' } });
    expect(group.smsLabels).toEqual({ pl: 'twój spacer' });
    await app.request('PATCH', `/api/v1/participants/${ids[0]}`, { token: app.clp.token, body: { preferredLanguage: 'pl' } });
    await pass(app);
    expect(app.sms.sent[0]!.body).toContain('twój spacer');
    const cleared = await app.request('PATCH', `/api/v1/groups/${group.id}`, { token: app.clp.token, body: { smsLabels: null } });
    expect(cleared.body.smsLabels).toBeNull();
  });
});
