import { describe, expect, it } from 'vitest';
import { countSegments } from '../src/sms/gsm.js';
import { loadTemplates } from '../src/sms/node-templates.js';
import { checkTemplates, renderTemplate, TEMPLATE_PLACEHOLDERS } from '../src/sms/templates.js';
import { formatWhen } from '../src/sms/message-context.js';

/** The longest values a real text would carry. */
const LONGEST = {
  givenName: 'Oluwaseyiforeverblessed',
  groupLabel: 'your Wednesday afternoon group',
  when: formatWhen(Date.parse('2027-09-29T16:30:00Z'), 'Europe/London'),
  place: 'Possilpark Health Centre Community Room',
  practiceName: 'Possilpark Health Centre',
  reason: 'the facilitator is unwell today',
  message: 'x'.repeat(100),
};

describe('SMS templates', () => {
  it('every template uses only its own placeholders and renders plainly', () => {
    const templates = loadTemplates();
    for (const kind of Object.keys(TEMPLATE_PLACEHOLDERS) as (keyof typeof templates)[]) {
      const text = renderTemplate(templates[kind], LONGEST);
      expect(text, kind).not.toMatch(/\{\{|\}\}/);
      expect(countSegments(text).encoding, kind).toBe('GSM-7');
    }
  });

  it('a reminder with the longest realistic values fits in two GSM-7 segments', () => {
    const text = renderTemplate(loadTemplates().reminder, LONGEST);
    expect(text).toContain('Wed 29 Sep at 17:30');
    expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: expect.any(Number) });
    expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    for (const kind of ['cancellation', 'moved', 'waitlist_offer', 'welcome', 'apologies_confirmed'] as const) {
      expect(countSegments(renderTemplate(loadTemplates()[kind], LONGEST)).segments, kind).toBeLessThanOrEqual(2);
    }
  });

  it('refuses a template with an unknown placeholder, or a missing one, at start-up', () => {
    const files = Object.fromEntries(Object.keys(TEMPLATE_PLACEHOLDERS).map((k) => [k, 'Hi {{givenName}}']));
    files.apologies_confirmed = 'Hi {{givenName}}';
    files.adhoc = '{{message}}';
    expect(() => checkTemplates({ ...files, reminder: 'Hi {{firstName}}' })).toThrow(/reminder\.txt uses unknown placeholder \{\{firstName\}\}/);
    const { welcome: _, ...missing } = files;
    expect(() => checkTemplates(missing)).toThrow(/welcome\.txt is missing/);
  });

  it('counts GSM-7 septets, extension characters twice, and UCS-2 when needed', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments(`${'a'.repeat(69)}ł`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments(`${'a'.repeat(70)}😊`)).toEqual({ encoding: 'UCS-2', units: 72, segments: 2 });
  });
});
