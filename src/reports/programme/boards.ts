import type { Db } from '../../db/schema.js';
import { AppError, unprocessable } from '../../lib/errors.js';

/**
 * A health board's database. A deployment serves one board's practices from its own database; a
 * programme's deployment may also read other boards' databases (BOARD_DATABASES), so its reports
 * cover the country while each board's practices stay in the board's own database.
 */
export interface Board {
  name: string;
  db: Db;
  /** This deployment's own database: its errors are its own, mapped like any other. */
  home?: boolean;
}

/** What this deployment's own database is called beside the boards it reads. */
export const HOME_BOARD = 'this server';

/**
 * The boards a programme report reads: all, or those `names` asks for. `practiceIds` name
 * practices of one database (each numbers its own), so with them a report reads one board.
 */
export function boardsAsked(all: Board[], names: string[] | undefined, practiceIds: number[]): Board[] {
  // A board named twice is read once: its rows twice over would be counted twice.
  const chosen = names?.length ? [...new Set(names.map((n) => boardNamed(all, n)))] : all;
  if (practiceIds.length && chosen.length > 1)
    throw unprocessable(`practiceIds name practices of one board's database: ask with boards= one of ${all.map((b) => b.name).join(', ')}`, {
      field: 'boards',
    });
  return chosen;
}

function boardNamed(all: Board[], name: string): Board {
  const b = all.find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
  if (!b) throw unprocessable(`There is no board called "${name}": the boards are ${all.map((x) => x.name).join(', ')}`, { field: 'boards' });
  return b;
}

/**
 * Work on another board's database. One that cannot answer (a binding or file gone, or a release
 * behind this one) answers 503 naming the board, never a 500 or a report without it.
 */
export async function fromBoard<T>(board: Board, work: () => Promise<T>): Promise<T> {
  if (board.home) return work();
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'board_unavailable',
      `The ${board.name} board's database did not answer (${(err as Error).message}): its server may be on another release. The report needs every board it covers; ask without this board (boards=) meanwhile`,
      { board: board.name },
    );
  }
}
