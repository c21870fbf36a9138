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

/**
 * better-sqlite3 prepares one statement at a time; our files end each statement with ";" at a line
 * end. A trigger's body has statements of its own, so a CREATE TRIGGER ends only at its "END;".
 */
export function splitSqlStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim().startsWith('--')) continue;
    current.push(line);
    const statement = current.join('\n').trim();
    const inTrigger = /^CREATE\s+TRIGGER\b/i.test(statement) && !/\bEND;\s*$/i.test(line);
    if (/;\s*$/.test(line) && !inTrigger) {
      statements.push(statement.replace(/;\s*$/, '').trim());
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) statements.push(rest);
  return statements.filter((s) => s.length > 0);
}
