import { DateTime } from 'luxon';
import type { Frequency } from '../db/schema.js';
import { localToMillis } from '../lib/time/time.js';

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
  // Weekly and fortnightly by whole days since 1970: luxon per day was most of materialising a year.
  const weekStep = s.frequency === 'fortnightly' ? 2 : 1;
  const startDay = epochDay(s.startDate);
  const endDay = epochDay(end);
  const fromDay = epochDay(from.toISODate()!);
  const firstMonday = startDay - (isoWeekdayOf(startDay) - 1);
  const weeksToSkip = Math.floor(Math.floor((fromDay - firstMonday) / 7) / weekStep) * weekStep;
  for (let monday = firstMonday + Math.max(0, weeksToSkip) * 7; monday <= endDay && out.length < limit; monday += weekStep * 7) {
    for (let i = 0; i < 7 && out.length < limit; i++) {
      const d = monday + i;
      if (days.has(i + 1) && d >= startDay && d <= endDay) out.push(dateOfEpochDay(d));
    }
  }
  return out;
}

const DAY_MS = 86_400_000;
const epochDay = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const dateOfEpochDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 1 for Monday … 7 for Sunday; 1 January 1970 was a Thursday. */
const isoWeekdayOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;

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
