import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ApiDocsFile, ApiDocsFiles } from '../openapi/openapi-routes.js';

/** Swagger UI's files from the installed package, read once each and kept. */
export function nodeApiDocsFiles(): ApiDocsFiles {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const kept = new Map<ApiDocsFile, Promise<string | null>>();
  return (name) => {
    let file = kept.get(name);
    if (!file) {
      file = readFile(join(dir, name), 'utf8').catch(() => null);
      kept.set(name, file);
    }
    return file;
  };
}
