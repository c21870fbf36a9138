import { CompiledQuery, type Compilable } from 'kysely';
import { countQuery } from './query-budget.js';
import { directRead } from './direct-reads.js';
import type { DbOrTx } from './schema.js';

/**
 * A query every request asks, built by Kysely the first time and then run again as the same SQL
 * with new parameters: building it each time cost a tenth of a read answered from memory. The SQL
 * is kept only if its parameters were exactly the arguments, in order (so nothing is baked into
 * the text); otherwise it is built each time, as any other query.
 */
export function compiledOnce<A extends (string | number)[], R>(build: (db: DbOrTx, ...args: A) => Compilable<R>) {
  let text: string | undefined;
  let checked = false;
  return async (db: DbOrTx, ...args: A): Promise<R[]> => {
    if (text === undefined) {
      const compiled = build(db, ...args).compile();
      if (!checked) {
        checked = true;
        if (compiled.parameters.length === args.length && compiled.parameters.every((p, i) => p === args[i])) text = compiled.sql;
      }
      return (await db.executeQuery(compiled)).rows;
    }
    countQuery();
    const rows = directRead(db)?.(text, args);
    if (rows) return rows as R[];
    return (await db.executeQuery<R>(CompiledQuery.raw(text, args))).rows;
  };
}
