import type Database from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryResult, type SqliteDialectConfig } from 'kysely';
import { AppError } from '../lib/errors.js';

/** How long a request waits for another process's write lock before it answers 503. */
export const LOCK_WAIT_MS = 3_000;

const isBusy = (err: unknown) => /^SQLITE_BUSY/.test(String((err as { code?: string }).code ?? ''));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * better-sqlite3's busy_timeout waits synchronously, freezing every request while another process
 * holds the lock. Here SQLite gives up at once and the wait happens on timers instead: the event
 * loop keeps serving, and other queries run on the connection between tries. Only a statement
 * outside a transaction (or the BEGIN IMMEDIATE that opens one) is retried: it had no effect.
 */
class PatientConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly driver: PatientDriver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.driver.waitMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (err) {
        if (!isBusy(err) || this.driver.sqlite.inTransaction) throw err;
        if (Date.now() >= deadline) {
          throw new AppError('storage_busy', 'The database is busy with other work; please try again in a moment', undefined, { 'Retry-After': '2' });
        }
        // Let other requests use the connection while this one waits.
        await this.driver.releaseConnection();
        await sleep(delay);
        await this.driver.acquireInner();
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class PatientDriver extends SqliteDriver {
  private connection?: PatientConnection;

  constructor(
    config: SqliteDialectConfig,
    readonly sqlite: Database.Database,
    readonly waitMs: number,
  ) {
    super(config);
  }

  acquireInner(): Promise<DatabaseConnection> {
    return super.acquireConnection();
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    this.connection ??= new PatientConnection(inner, this);
    return this.connection;
  }

  /** Writes take the lock up front: a transaction that read first could not upgrade without SQLITE_BUSY. */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /** SQLite rolls back by itself on some errors (a full disk): then there is nothing to roll back, and the real error must surface. */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}

/** Kysely's SQLite dialect with writes that lock up front and lock waits that never block the event loop. */
export class PatientSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly sqlite: Database.Database,
    private readonly waitMs = LOCK_WAIT_MS,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new PatientDriver(this.config, this.sqlite, this.waitMs);
  }
}
