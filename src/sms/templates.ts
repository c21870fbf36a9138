import { ConfigError } from '../config.js';
import type { MessageKind } from '../db/schema.js';

export type TemplateKind = Exclude<MessageKind, 'inbound'>;

/** The placeholders each text may use; anything else is a typo that would reach a patient. */
export const TEMPLATE_PLACEHOLDERS: Record<TemplateKind, readonly string[]> = {
  reminder: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  cancellation: ['givenName', 'groupLabel', 'when', 'reason', 'practiceName'],
  moved: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  back_on: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  waitlist_offer: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  welcome: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  apologies_confirmed: ['givenName', 'groupLabel', 'when', 'place', 'practiceName'],
  adhoc: ['message', 'practiceName'],
};

export type Templates = Record<TemplateKind, string>;

/** Checks every template exists and uses only known placeholders; throws one line naming the problem. */
export function checkTemplates(files: Record<string, string>): Templates {
  const out: Partial<Templates> = {};
  for (const [kind, allowed] of Object.entries(TEMPLATE_PLACEHOLDERS) as [TemplateKind, readonly string[]][]) {
    const text = files[kind];
    if (text === undefined) throw new ConfigError(`SMS template templates/sms/${kind}.txt is missing`);
    for (const [, name] of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
      if (!allowed.includes(name!)) throw new ConfigError(`SMS template ${kind}.txt uses unknown placeholder {{${name}}} (allowed: ${allowed.join(', ')})`);
    }
    out[kind] = text.trim();
  }
  return out as Templates;
}

export function renderTemplate(template: string, values: Record<string, string>): string {
  return template
    .replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => values[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
