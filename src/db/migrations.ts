import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Turns SQL migration texts into Kysely migrations. Node reads them from db/migrations;
 * Workers gets the same files applied by `wrangler d1 migrations apply`.
 */
export class SqlTextMigrationProvider implements MigrationProvider {
  constructor(private readonly files: Record<string, string>) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const [name, text] of Object.entries(this.files)) {
      migrations[name] = {
        async up(db: Kysely<unknown>) {
          for (const statement of splitSqlStatements(text)) await sql.raw(statement).execute(db);
        },
      };
    }
    return migrations;
  }
}

/** better-sqlite3 prepares one statement at a time; our files end each statement with ";" at a line end. */
export function splitSqlStatements(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
