import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

const checkpoints = new WeakMap<Kysely<DB>, () => void>();

/** Registers how to fold a database's write-ahead log into its file (SQLite files only). */
export function registerCheckpoint(db: Kysely<DB>, fn: () => void): void {
  checkpoints.set(db, fn);
}

/**
 * Folds the write-ahead log into the database file and empties it, so nothing written before
 * (an erased person's old rows) survives in the WAL. Nothing to do on D1 or in memory.
 */
export function checkpoint(db: Kysely<DB>): void {
  checkpoints.get(db)?.();
}

/** SQLite's codes for a disk that is full, unwritable or failing: a storage problem, not a bug. */
export function isStorageFault(err: unknown): boolean {
  return /^SQLITE_(FULL|IOERR|CANTOPEN|READONLY|CORRUPT|NOTADB|NOLFS|PROTOCOL)/.test(String((err as { code?: string } | null)?.code ?? ''));
}
