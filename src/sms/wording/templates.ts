import { ConfigError } from '../../config.js';
import type { MessageKind } from '../../db/schema.js';

export type TemplateKind = Exclude<MessageKind, 'inbound'>;

/** Texts, and the two phrases texts are built from ("your Tuesday group", "your group"). */
export type TemplateName = TemplateKind | 'group_label' | 'group_label_any';

/** The placeholders each template may use; anything else is a typo that would reach a patient. */
export const TEMPLATE_PLACEHOLDERS: Record<TemplateName, readonly string[]> = {
  reminder: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  welcome: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  waitlist_offer: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  cancellation: ['givenName', 'groupLabel', 'when', 'reason', 'practiceName'],
  back_on: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  moved: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  apologies_confirmed: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  adhoc: ['message', 'practiceName'],
  help: ['practiceName', 'practicePhone'],
  outcome_question: ['givenName', 'practiceName'],
  group_label: ['day'],
  group_label_any: [],
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATE_PLACEHOLDERS) as TemplateName[];

/** What each template is for, in the words the editor shows. */
export const TEMPLATE_TITLES: Record<TemplateName, string> = {
  reminder: 'Reminder before a session',
  welcome: 'Welcome on joining a group',
  waitlist_offer: 'A waitlist place is free',
  cancellation: 'Session cancelled',
  back_on: 'Cancelled session back on',
  moved: 'Session moved',
  apologies_confirmed: 'Apologies received (after a "C" reply)',
  adhoc: 'Wrapper round a message typed by a CLP',
  help: 'Answer to a HELP reply (who is texting, how to stop)',
  outcome_question: "How happy yesterday, 0 to 10 (ONS4's happiness question, when placed and 8 weeks on)",
  group_label: 'How a group is named in a text (one meeting day)',
  group_label_any: 'How a group is named in a text (several days)',
};

/** The ad-hoc wrapper carries the CLP's own words and no words of ours: one for every language. */
export const LANGUAGE_NEUTRAL: ReadonlySet<TemplateName> = new Set(['adhoc']);

export interface TemplateFile {
  body: string;
  /** A draft translation a community interpreter has not yet checked (said in the file's comment). */
  needsCheck: boolean;
}

/** The default wording: language tag → template name → file. English is complete; others may have gaps. */
export type TemplateLibrary = Record<string, Partial<Record<TemplateName, TemplateFile>>>;

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Placeholders a template uses that its kind does not have, e.g. a mistyped `{{givenname}}`. */
export function unknownPlaceholders(name: TemplateName, body: string): string[] {
  const allowed = TEMPLATE_PLACEHOLDERS[name];
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((p) => !allowed.includes(p)))];
}

/** A template file: lines starting with `#` are notes for whoever edits it, never sent. */
export function parseTemplateFile(raw: string): TemplateFile {
  const lines = raw.split(/\r?\n/);
  const notes = lines.filter((l) => l.startsWith('#')).join('\n');
  const body = lines
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .trim();
  return { body, needsCheck: /needs checking/i.test(notes) };
}

function isTemplateName(name: string): name is TemplateName {
  return name in TEMPLATE_PLACEHOLDERS;
}

/**
 * Checks every file (keyed "en/reminder"): English must have every template, and no file may use
 * a placeholder its kind lacks or name a template that does not exist. Throws one line naming the problem.
 */
export function checkTemplates(files: Record<string, string>): TemplateLibrary {
  const library: TemplateLibrary = { en: {} };
  for (const [key, raw] of Object.entries(files)) {
    const [lang, name] = key.split('/') as [string, string];
    if (!isTemplateName(name)) throw new ConfigError(`SMS template templates/sms/${key}.txt is not a known text (known: ${TEMPLATE_NAMES.join(', ')})`);
    const file = parseTemplateFile(raw);
    const unknown = unknownPlaceholders(name, file.body);
    if (unknown.length > 0)
      throw new ConfigError(
        `SMS template ${key}.txt uses unknown placeholder {{${unknown[0]}}} (allowed: ${TEMPLATE_PLACEHOLDERS[name].join(', ') || 'none'})`,
      );
    (library[lang] ??= {})[name] = file;
  }
  for (const name of TEMPLATE_NAMES) {
    if (!library.en![name]) throw new ConfigError(`SMS template templates/sms/en/${name}.txt is missing`);
  }
  return library;
}

export function renderTemplate(template: string, values: Record<string, string>): string {
  return template
    .replace(PLACEHOLDER, (_, name: string) => values[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
