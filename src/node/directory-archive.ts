import { mkdirSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ArchiveStore } from '../audit/archive-store.js';
import type { RawConfig } from '../config.js';

/**
 * A directory as the audit archive on Node (AUDIT_ARCHIVE_DIR). An object is written to a
 * temporary name, flushed to disk and then renamed, so a crash leaves either the whole object or
 * none: the database only lists an object after it is there.
 */
export function directoryArchive(dir: string): ArchiveStore {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const pathOf = (key: string) => {
    const p = resolve(root, key);
    // Keys are made by the archiving pass, never by a request; this only guards a mistake.
    if (!p.startsWith(root + sep)) throw new Error(`An archive key outside the archive: ${key}`);
    return p;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const part = join(dirname(path), `.${process.pid}.part`);
      const f = await open(part, 'w');
      try {
        await f.writeFile(body);
        await f.sync();
      } finally {
        await f.close();
      }
      await rename(part, path);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

/** The archive AUDIT_ARCHIVE_DIR names; without it audit events stay in the database. */
export function nodeAuditArchive(raw: Pick<RawConfig, 'AUDIT_ARCHIVE_DIR'>): ArchiveStore | undefined {
  return raw.AUDIT_ARCHIVE_DIR ? directoryArchive(raw.AUDIT_ARCHIVE_DIR) : undefined;
}
