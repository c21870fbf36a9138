import { describe, expect, it } from 'vitest';
import { compiledOnce } from '../src/db/compiled-once.js';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { freshDb } from './helpers/test-app.js';

async function twoPractices() {
  const { db } = await freshDb();
  const practice = (name: string) => ({ name, timezone: 'Europe/London', created_at: 0 }) as never;
  await db
    .insertInto('practices')
    .values([practice('Possilpark'), practice('Govan')])
    .execute();
  return db;
}

describe('a query compiled once', () => {
  it('answers as Kysely would for every set of arguments, and counts against the query budget', async () => {
    const db = await twoPractices();
    const byName = compiledOnce((d, name: string, id: number) =>
      d.selectFrom('practices').select(['id', 'name']).where('name', '=', name).where('id', '>=', id),
    );
    expect(await byName(db, 'Govan', 1)).toEqual([{ id: 2, name: 'Govan' }]);
    expect(await byName(db, 'Possilpark', 1)).toEqual([{ id: 1, name: 'Possilpark' }]);
    expect(await byName(db, 'Possilpark', 2)).toEqual([]);
    // Run again from its kept SQL, each run is still one query of the invocation's budget.
    const budget = new QueryBudget(2);
    await withQueryBudget(budget, async () => {
      await byName(db, 'Govan', 1);
      await byName(db, 'Govan', 1);
      await expect(byName(db, 'Govan', 1)).rejects.toMatchObject({ code: 'over_query_budget' });
    });
    expect(budget.used).toBe(2);
  });

  it('builds afresh every time when the query bakes something into its text', async () => {
    const db = await twoPractices();
    // A limit Kysely writes as a parameter after the arguments: not the arguments alone, so never kept.
    const first = compiledOnce((d, name: string) => d.selectFrom('practices').select('name').where('name', '!=', name).limit(1));
    expect(await first(db, 'Possilpark')).toEqual([{ name: 'Govan' }]);
    expect(await first(db, 'Govan')).toEqual([{ name: 'Possilpark' }]);
  });

  it("never shows another request's uncommitted writes: while a transaction is open, a read waits for it", async () => {
    const db = await twoPractices();
    const nameOf = compiledOnce((d, id: number) => d.selectFrom('practices').select('name').where('id', '=', id));
    expect(await nameOf(db, 1)).toEqual([{ name: 'Possilpark' }]); // now kept, and read directly
    let during: Promise<{ name: string }[]> | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('practices').set({ name: 'Not yet saved' }).where('id', '=', 1).execute();
        // Another request reads meanwhile: it must not see the change, which is about to be undone.
        during = nameOf(db, 1);
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('undone');
      })
      .catch(() => undefined);
    expect(await during).toEqual([{ name: 'Possilpark' }]);
    // And a committed change shows at once.
    await db.transaction().execute((trx) => trx.updateTable('practices').set({ name: 'Possil' }).where('id', '=', 1).execute());
    expect(await nameOf(db, 1)).toEqual([{ name: 'Possil' }]);
  });
});
