import type Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import type { Db } from '../src/db/schema.js';
import { kyselyFor, openSqlite } from '../src/db/sqlite.js';
import { programmeImpact } from '../src/reports/programme/programme-impact.js';
import type { Board } from '../src/reports/programme/boards.js';
import { line, longestHold, medianMs } from './bench-lib.js';
import { goal } from './goals.js';

/**
 * A programme's deployment reading two boards' databases (BOARD_DATABASES): the national set and
 * a copy of it as a second board, 2,000 practices in all, against one board's report in the same
 * run. Each board's part costs the same few queries, so two cost about twice one.
 */
export async function acrossBoards(db: Db, sqlite: Database.Database, path: string, now: number, range: { from: string; to: string }) {
  sqlite.pragma('wal_checkpoint(TRUNCATE)'); // the copy is of the file alone
  const copy = `${path}.lothian`;
  copyFileSync(path, copy);
  const lothian = kyselyFor(openSqlite(copy));
  const actor = { id: 1, practiceId: 1, timezone: 'Europe/London' };
  const boards: Board[] = [
    { name: 'Glasgow', db, home: true },
    { name: 'Lothian', db: lothian },
  ];
  const unkept = async () => {
    for (const b of boards) await b.db.deleteFrom('kept_figures').execute();
  };
  const counted = async (scope: { boards?: Board[] }) => {
    const budget = new QueryBudget(1_000_000);
    await withQueryBudget(budget, () => programmeImpact(db, { actor, practiceIds: [], ...scope }, now, range));
    return budget.used;
  };
  try {
    const report = (scope: { boards?: Board[] }) => () => programmeImpact(db, { actor, practiceIds: [], ...scope }, now, range);
    await unkept();
    const one = await medianMs(report({}), 1, 0);
    const oneAgain = await counted({});
    await unkept();
    const hold = await longestHold(report({ boards }));
    const queries = await counted({ boards });
    const again = await longestHold(report({ boards }));
    line(
      'programme impact, 2 boards of 1,000 practices',
      `${(hold.took / 1000).toFixed(2)} s`,
      'one board',
      hold.took / one,
      `worked out and kept; holds the thread ${hold.longest.toFixed(0)} ms at most`,
    );
    line(
      'programme impact, 2 boards, asked again (kept)',
      `${(again.took / 1000).toFixed(2)} s`,
      'worked out',
      again.took / hold.took,
      `${queries} queries as on D1 (${oneAgain} for one board); holds the thread ${again.longest.toFixed(0)} ms at most`,
    );
    goal({
      measure: "programme impact across two boards' databases (2 × 1,000 practices, Node)",
      filed: 'not built: one report per board, pooled by hand',
      now: `worked out ${(hold.took / 1000).toFixed(1)} s (${(hold.took / one).toFixed(1)}× one board), kept ${(again.took / 1000).toFixed(2)} s in ${queries} queries; longest hold ${Math.max(hold.longest, again.longest).toFixed(0)} ms`,
      goal: 'kept < 2 s, hold ≤ 30 ms, queries about twice one board',
      met: again.took < 2000 && Math.max(hold.longest, again.longest) <= 30 && queries <= 2 * oneAgain + 2,
    });
  } finally {
    await unkept();
    await lothian.destroy();
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  }
}
