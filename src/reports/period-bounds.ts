import type { RawBuilder } from 'kysely';
import { jsonTable } from '../db/json-table.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time/time.js';

/** One practice's period as instants in its own zone: from, to, held so far, and the last day held. */
export interface Bounds {
  start: number;
  end: number;
  held: number;
  heldDate: string;
}

/**
 * Each practice's period, and the same as the `b(pid, start, fin, held, held_date)` table every
 * report query joins: one JSON parameter however many practices.
 */
export function periodBounds(
  practices: readonly { id: number; timezone: string }[],
  range: { from: string; to: string },
  now: number,
): { bounds: Map<number, Bounds>; b: RawBuilder<unknown> } {
  const bounds = new Map<number, Bounds>();
  // Worked out once a zone: a programme's thousand practices share one or two, and each costs luxon tens of microseconds.
  const byZone = new Map<string, Bounds>();
  for (const p of practices) {
    let x = byZone.get(p.timezone);
    if (!x) {
      const start = startOfLocalDate(range.from, p.timezone);
      const end = startOfLocalDate(addDays(range.to, 1), p.timezone);
      const held = Math.min(end, now);
      x = { start, end, held, heldDate: localDate(held - 1, p.timezone) };
      byZone.set(p.timezone, x);
    }
    bounds.set(p.id, x);
  }
  const b = jsonTable(
    'b',
    ['pid', 'start', 'fin', 'held', 'held_date'],
    practices.map((p) => {
      const x = bounds.get(p.id)!;
      return [p.id, x.start, x.end, x.held, x.heldDate];
    }),
  );
  return { bounds, b };
}
