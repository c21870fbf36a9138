import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledTemplatesSource } from '../src/cli/bundle-templates.js';
import { countSegments } from '../src/sms/wording/gsm.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { checkTemplates, renderTemplate, TEMPLATE_NAMES } from '../src/sms/wording/templates.js';
import { formatWhen } from '../src/sms/wording/message-context.js';

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
    const english = loadTemplates().en!;
    for (const kind of TEMPLATE_NAMES) {
      const text = renderTemplate(english[kind]!.body, { ...LONGEST, day: 'Wednesday' });
      expect(text, kind).not.toMatch(/\{\{|\}\}/);
      expect(countSegments(text).encoding, kind).toBe('GSM-7');
    }
  });

  it('no language\'s text repeats a word its group label already says ("آپ آپ کا گروپ")', () => {
    const library = loadTemplates();
    const wordsOf = (text: string) => text.split(/[\s\p{P}]+/u).filter(Boolean);
    const doubled: string[] = [];
    for (const [lang, files] of Object.entries(library)) {
      for (const labelName of ['group_label', 'group_label_any'] as const) {
        const label = renderTemplate(files[labelName]?.body ?? library.en!.group_label_any!.body, { day: 'DAY' });
        const labelWords = new Set(wordsOf(label));
        for (const [name, file] of Object.entries(files)) {
          if (!file.body.includes('{{groupLabel}}')) continue;
          // The words just before the label must not say again what the label says ("your", "آپ").
          for (const before of file.body.split('{{groupLabel}}').slice(0, -1)) {
            const last = wordsOf(before).at(-1);
            if (last && labelWords.has(last)) doubled.push(`${lang}/${name} with ${labelName}: "${last} ${label}"`);
          }
          const text = wordsOf(
            renderTemplate(file.body, { givenName: 'Amira', groupLabel: label, when: 'WHEN', place: 'PLACE', practiceName: 'PRACTICE', reason: 'R' }),
          );
          for (let i = 1; i < text.length; i++) if (text[i] === text[i - 1]) doubled.push(`${lang}/${name} with ${labelName}: "${text[i]} ${text[i]}"`);
        }
      }
    }
    expect(doubled).toEqual([]);
  });

  it('a reminder with the longest realistic values fits in two GSM-7 segments', () => {
    const text = renderTemplate(loadTemplates().en!.reminder!.body, LONGEST);
    expect(text).toContain('Wed 29 Sep at 17:30');
    expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: expect.any(Number) });
    expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    for (const kind of ['cancellation', 'moved', 'waitlist_offer', 'welcome', 'apologies_confirmed'] as const) {
      expect(countSegments(renderTemplate(loadTemplates().en![kind]!.body, LONGEST)).segments, kind).toBeLessThanOrEqual(2);
    }
  });

  it('refuses a template with an unknown placeholder, or a missing one, at start-up', () => {
    const files: Record<string, string> = Object.fromEntries(TEMPLATE_NAMES.map((k) => [`en/${k}`, 'Hi {{givenName}}']));
    files['en/adhoc'] = '{{message}}';
    files['en/help'] = '{{practiceName}}';
    files['en/group_label'] = 'your {{day}} group';
    files['en/group_label_any'] = 'your group';
    expect(Object.keys(checkTemplates(files).en!)).toHaveLength(TEMPLATE_NAMES.length);
    expect(() => checkTemplates({ ...files, 'en/reminder': 'Hi {{firstName}}' })).toThrow(/en\/reminder\.txt uses unknown placeholder \{\{firstName\}\}/);
    expect(() => checkTemplates({ ...files, 'pl/group_label': 'grupa {{givenName}}' })).toThrow(/pl\/group_label\.txt uses unknown placeholder/);
    expect(() => checkTemplates({ ...files, 'pl/remindr': 'x' })).toThrow(/pl\/remindr\.txt is not a known text/);
    const { 'en/welcome': _, ...missing } = files;
    expect(() => checkTemplates(missing)).toThrow(/en\/welcome\.txt is missing/);
    // A language may leave texts out: those go in English.
    expect(checkTemplates({ ...files, 'pl/reminder': 'Cześć {{givenName}}' }).pl).toEqual({ reminder: { body: 'Cześć {{givenName}}', needsCheck: false } });
  });

  it('counts GSM-7 septets, extension characters twice, and UCS-2 when needed', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments(`${'a'.repeat(69)}ł`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments(`${'a'.repeat(70)}😊`)).toEqual({ encoding: 'UCS-2', units: 72, segments: 2 });
  });

  it('the bundle Workers uses holds exactly the files in templates/sms (run `npm run templates:bundle` after adding one)', () => {
    expect(readFileSync(new URL('../src/sms/wording/bundled-templates.ts', import.meta.url), 'utf8')).toBe(bundledTemplatesSource());
  });
});
