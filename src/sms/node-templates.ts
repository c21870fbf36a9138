import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTemplates, type TemplateLibrary } from './templates.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../templates/sms');

/** Reads every templates/sms/<language>/<name>.txt as "language/name" → text. */
export function readTemplateFiles(dir = DIR): Record<string, string> {
  const files: Record<string, string> = {};
  for (const lang of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(join(dir, lang.name)).filter((n) => n.endsWith('.txt'))) {
      files[`${lang.name}/${f.slice(0, -4)}`] = readFileSync(join(dir, lang.name, f), 'utf8');
    }
  }
  return files;
}

/** Reads and checks templates/sms: start-up refuses a template with an unknown placeholder. */
export function loadTemplates(dir = DIR): TemplateLibrary {
  return checkTemplates(readTemplateFiles(dir));
}
