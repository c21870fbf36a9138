import { DateTime } from 'luxon';
import { WEEKDAYS } from '../../groups/recurrence.js';
import { countSegments, type SegmentCount } from './gsm.js';
import { formatWhen, groupLabel, weekdayName } from './message-context.js';
import type { PracticeTemplates } from './practice-templates.js';
import { renderTemplate, TEMPLATE_PLACEHOLDERS, unknownPlaceholders, type TemplateName } from './templates.js';

/** A text longer than this costs too much and reads badly on a basic phone: the editor refuses it. */
export const MAX_TEMPLATE_SEGMENTS = 3;

/**
 * Long but real values, so a preview shows the most a text will cost: a long given name, a
 * long venue and the longest day and date the language has. The practice's own name is used as it is.
 */
export const REALISTIC_LONGEST = {
  givenName: 'Mohammad-Hossein',
  place: 'Possilpark Health Centre',
  reason: 'the hall is closed today',
  message: 'Bring a packed lunch and warm clothes: we are out all day.',
  practicePhone: '+447700900123',
} as const;

/** The longest of a language's dates: every weekday and month, at a two-digit day and hour. */
export function longestWhen(lang: string, zone: string): string {
  let longest = '';
  for (let month = 1; month <= 12; month++) {
    for (let day = 22; day <= 28; day++) {
      const at = DateTime.fromObject({ year: 2027, month, day, hour: 18, minute: 30 }, { zone }).toMillis();
      const s = formatWhen(at, zone, lang);
      if (s.length > longest.length) longest = s;
    }
  }
  return longest;
}

const longest = (xs: string[]) => xs.reduce((a, b) => (b.length > a.length ? b : a), '');

export interface TemplatePreview {
  text: string;
  segments: SegmentCount;
  problems: string[];
}

/** What a template would send with the longest realistic values, what it costs, and why it would be refused. */
export function previewTemplate(t: PracticeTemplates, name: TemplateName, lang: string, body: string, practiceName: string, zone: string): TemplatePreview {
  const problems: string[] = [];
  const unknown = unknownPlaceholders(name, body);
  if (unknown.length > 0)
    problems.push(
      `{{${unknown.join('}}, {{')}}} ${unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'} this text has (it has ${TEMPLATE_PLACEHOLDERS[name].map((p) => `{{${p}}}`).join(', ') || 'none'})`,
    );
  if (body.trim().length === 0) problems.push('the text is empty');
  const text = renderTemplate(body, {
    ...REALISTIC_LONGEST,
    day: longest(WEEKDAYS.map((d) => weekdayName(d, lang)!)),
    // 1 March 2027 is a Monday: a week of sessions, one on each day.
    groupLabel: longest(
      WEEKDAYS.map((d, i) =>
        groupLabel(
          {
            sms_label: null,
            sms_labels: null,
            weekdays: d,
            starts_at: DateTime.fromObject({ year: 2027, month: 3, day: 1 + i }, { zone }).toMillis(),
            timezone: zone,
          },
          t,
          lang,
        ),
      ),
    ),
    when: longestWhen(lang, zone),
    practiceName,
  });
  const segments = countSegments(text);
  if (segments.segments > MAX_TEMPLATE_SEGMENTS)
    problems.push(`with long names and dates it would be ${segments.segments} texts (${segments.encoding}); keep it to ${MAX_TEMPLATE_SEGMENTS}`);
  return { text, segments, problems };
}
