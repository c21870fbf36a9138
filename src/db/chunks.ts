/** D1 binds at most 100 parameters per statement (SQLite far more): size multi-row inserts to fit both. */
export const MAX_BOUND_PARAMETERS = 100;

export function* paramChunks<T extends object>(rows: T[], maxParams = MAX_BOUND_PARAMETERS): Generator<T[]> {
  if (rows.length === 0) return;
  const perRow = Math.max(1, Object.keys(rows[0]!).length);
  const size = Math.max(1, Math.floor(maxParams / perRow));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
