import { sql, type RawBuilder } from 'kysely';

/**
 * A small table for a query's WITH clause, passed as one JSON parameter rather than a VALUES list:
 * D1 takes at most 100 bound parameters a query, and a programme's thousand practices with their
 * bounds are thousands. Materialised, so SQLite reads the JSON once.
 */
export function jsonTable(name: string, columns: string[], rows: readonly (readonly (string | number | null)[])[]): RawBuilder<unknown> {
  const picks = columns.map((_, i) => sql.raw(`json_extract(value, '$[${i}]')`));
  return sql`${sql.raw(name)}(${sql.raw(columns.join(', '))}) AS MATERIALIZED (SELECT ${sql.join(picks)} FROM json_each(${JSON.stringify(rows)}))`;
}

/** A list of ids for `IN`, as one JSON parameter (D1 takes 100 parameters a statement). */
export function jsonIds(ids: readonly number[]): RawBuilder<number> {
  return sql<number>`(SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}
