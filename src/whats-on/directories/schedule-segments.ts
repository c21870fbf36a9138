import { DateTime } from 'luxon';
import type { Schedule } from '../../groups/recurrence.js';
import { addDays } from '../../lib/time/time.js';

/** One stretch of a schedule during which its sessions keep one UTC offset. */
export interface ScheduleSegment {
  validFrom: string;
  validTo: string;
  opensAt: string;
  closesAt: string;
}

const offsetText = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/**
 * A repeating schedule between two dates, cut at each clock change. Open Referral's opens_at and
 * closes_at carry an offset, not a zone, so "10:00 every Tuesday" in Glasgow is 10:00+00:00 until
 * the last Sunday of March and 10:00+01:00 after it: one row each, with the dates it holds.
 */
export function scheduleSegments(s: Schedule, zone: string, from: string, to: string): ScheduleSegment[] {
  const out: ScheduleSegment[] = [];
  const at = (date: string) => {
    const open = DateTime.fromISO(`${date}T${s.startTime}`, { zone });
    const close = open.plus({ minutes: s.durationMinutes });
    return { opensAt: `${open.toFormat('HH:mm:ss')}${offsetText(open.offset)}`, closesAt: `${close.toFormat('HH:mm:ss')}${offsetText(close.offset)}` };
  };
  let start = from;
  let current = at(from);
  // Day by day (at most a few hundred): a change always falls on some day in the range.
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    const here = at(d);
    if (here.opensAt !== current.opensAt || here.closesAt !== current.closesAt) {
      out.push({ validFrom: start, validTo: addDays(d, -1), ...current });
      start = d;
      current = here;
    }
  }
  out.push({ validFrom: start, validTo: to, ...current });
  return out;
}
