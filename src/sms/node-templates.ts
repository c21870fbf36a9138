import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTemplates, type Templates } from './templates.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../templates/sms');

/** Reads templates/sms/*.txt and checks them: start-up refuses a template with an unknown placeholder. */
export function loadTemplates(dir = DIR): Templates {
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt'))) files[f.slice(0, -4)] = readFileSync(join(dir, f), 'utf8');
  return checkTemplates(files);
}
