import { DateTime } from 'luxon';

export type OffsetInterval = { from: number; to: number; seconds: number };

// A programme's report asks once per practice, nearly always for the same zone and period.
export const remembered = new Map<string, OffsetInterval[]>();

/** A zone's UTC offset, in seconds, over [from, to): one interval per stretch between clock changes. */
export function offsetIntervals(zone: string, from: number, to: number): OffsetInterval[] {
  const key = `${zone} ${from} ${to}`;
  let found = remembered.get(key);
  if (!found) {
    if (remembered.size >= 64) remembered.clear();
    found = findOffsetIntervals(zone, from, to);
    remembered.set(key, found);
  }
  return found;
}

function findOffsetIntervals(zone: string, from: number, to: number): OffsetInterval[] {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset * 60;
  // No zone changes its offset twice in a week: step a week at a time, then find the minute.
  const STEP = 7 * 86_400_000;
  const out: OffsetInterval[] = [];
  let start = from;
  let current = offset(from);
  for (let t = from + STEP; t < to + STEP; t += STEP) {
    const at = Math.min(t, to);
    if (offset(at) === current) continue;
    // The change lies in the last step: find its minute.
    let lo = at - STEP;
    let hi = at;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offset(mid) === current) lo = mid;
      else hi = mid;
    }
    out.push({ from: start, to: hi, seconds: current });
    start = hi;
    current = offset(hi);
  }
  out.push({ from: start, to: to + 1, seconds: current });
  return out;
}

/** Days since 1970 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}
