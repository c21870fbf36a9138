import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTemplates, type TemplateLibrary } from './templates.js';

/** templates/sms at the project's root, found upwards from here: the same from src/ and from npm start's bundle. */
function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = dirname(dir)) if (existsSync(join(dir, 'templates/sms'))) return join(dir, 'templates/sms');
  throw new Error('templates/sms was not found above ' + fileURLToPath(import.meta.url));
}

const DIR = templatesDir();

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
