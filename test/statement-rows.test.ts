import { describe, expect, it } from 'vitest';
import { jsonRowChunks, statementRows } from '../src/db/chunks.js';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { freshDb } from './helpers/test-app.js';

describe('rows a statement, as each runtime wants them', () => {
  it('on Node a write of many rows goes a hundred at a time (a statement holds the only thread), in a transaction too', async () => {
    const { db } = await freshDb();
    expect(statementRows(db)).toBe(100);
    await db.transaction().execute(async (trx) => expect(statementRows(trx)).toBe(100));
    const rows = Array.from({ length: 250 }, (_, i) => ({ a: i }));
    expect([...jsonRowChunks(rows, statementRows(db))]).toHaveLength(3);
  });

  it('counted as D1 counts (a query budget: Workers, or a test of them), a thousand, since every statement counts against the limit', async () => {
    const { db } = await freshDb();
    expect(withQueryBudget(new QueryBudget(50), () => statementRows(db))).toBe(1000);
  });
});
