import { DateTime } from 'luxon';
import type { Frequency } from '../db/schema.js';
import { localToMillis } from '../lib/time.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A group's repeating pattern, in the practice's local wall time. */
export interface Schedule {
  frequency: Frequency;
  weekdays: Weekday[];
  /** Monthly only: 1..4 for the nth weekday of the month, -1 for the last. */
  weekOfMonth: number | null;
  startTime: string;
  durationMinutes: number;
  startDate: string;
  until: string | null;
  count: number | null;
}

export interface Occurrence {
  /** Local date of the slot: the session's stable key within its group. */
  date: string;
  startsAt: number;
  endsAt: number;
}

const isoWeekday = (d: Weekday) => WEEKDAYS.indexOf(d) + 1;
const utcDate = (date: string) => DateTime.fromISO(date, { zone: 'utc' });

/**
 * Every slot date of a schedule, in order, from its start date up to `lastDate` (inclusive),
 * stopping at `until` or after `count` slots. Dates only: no zone lookups here.
 */
export function slotDates(s: Schedule, lastDate: string, firstDate?: string): string[] {
  const end = s.until && s.until < lastDate ? s.until : lastDate;
  const days = new Set(s.weekdays.map(isoWeekday));
  const out: string[] = [];
  const limit = s.count ?? Number.POSITIVE_INFINITY;
  const start = utcDate(s.startDate);
  const endDt = utcDate(end);
  // Without a count nothing before firstDate matters, so skip the years of history.
  const from = s.count === null && firstDate && firstDate > s.startDate ? utcDate(firstDate) : start;
  if (s.frequency === 'monthly') {
    for (let month = from.startOf('month'); month <= endDt && out.length < limit; month = month.plus({ months: 1 })) {
      const inMonth = [...days].map((wd) => nthWeekday(month, wd, s.weekOfMonth ?? 1)).sort((a, b) => a.toMillis() - b.toMillis());
      for (const d of inMonth) {
        if (d >= start && d <= endDt && out.length < limit) out.push(d.toISODate()!);
      }
    }
    return out;
  }
  const weekStep = s.frequency === 'fortnightly' ? 2 : 1;
  const firstMonday = start.minus({ days: start.weekday - 1 });
  const weeksToSkip = Math.floor(from.diff(firstMonday, 'weeks').weeks / weekStep) * weekStep;
  for (let monday = firstMonday.plus({ weeks: Math.max(0, weeksToSkip) }); monday <= endDt && out.length < limit; monday = monday.plus({ weeks: weekStep })) {
    for (let i = 0; i < 7 && out.length < limit; i++) {
      const d = monday.plus({ days: i });
      if (days.has(d.weekday) && d >= start && d <= endDt) out.push(d.toISODate()!);
    }
  }
  return out;
}

function nthWeekday(monthStart: DateTime, weekday: number, n: number): DateTime {
  if (n === -1) {
    const last = monthStart.endOf('month').startOf('day');
    return last.minus({ days: (last.weekday - weekday + 7) % 7 });
  }
  const first = monthStart.plus({ days: (weekday - monthStart.weekday + 7) % 7 });
  return first.plus({ weeks: n - 1 });
}

/**
 * Slots whose local date lies in [fromDate, toDate], as UTC instants: 10:00 stays 10:00 local
 * on both sides of a clock change because each slot is placed on its own date's offset.
 */
export function occurrencesBetween(s: Schedule, zone: string, fromDate: string, toDate: string): Occurrence[] {
  return slotDates(s, toDate, fromDate)
    .filter((date) => date >= fromDate)
    .map((date) => {
      const startsAt = localToMillis(date, s.startTime, zone);
      return { date, startsAt, endsAt: startsAt + s.durationMinutes * 60_000 };
    });
}
