/**
 * Reads that may skip Kysely's connection handling, by database: a query every request asks (the
 * sign-in lookup, the register's version) spent as long queueing for the connection, through four
 * promise turns, as SQLite spent answering it. Only better-sqlite3 registers one (it answers
 * synchronously); D1 and a transaction's handle have none and go through Kysely as before.
 */
export type DirectRead = (sql: string, params: readonly unknown[]) => unknown[] | undefined;

const direct = new WeakMap<object, DirectRead>();

export function allowDirectReads(db: object, read: DirectRead): void {
  direct.set(db, read);
}

export function directRead(db: object): DirectRead | undefined {
  return direct.get(db);
}
