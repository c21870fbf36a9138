import { DateTime } from 'luxon';
import type { Schedule } from '../groups/recurrence.js';
import { ukDate } from '../lib/time/time.js';

const DAY_NAMES: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const NTH: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };

const and = (words: string[]) => (words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`);

/** "Every Tuesday, 10:00 to 11:00, from 2 Mar 2027 until 30 Jun 2027": a schedule for people (ALISS has no schedule field). */
export function scheduleWords(s: Schedule): string {
  const days = and(s.weekdays.map((d) => DAY_NAMES[d]!));
  const when =
    s.frequency === 'weekly'
      ? `Every ${days}`
      : s.frequency === 'fortnightly'
        ? `Every other ${days}`
        : `The ${NTH[String(s.weekOfMonth)]} ${days} of each month`;
  const start = DateTime.fromISO(`2000-01-01T${s.startTime}`);
  const end = start.plus({ minutes: s.durationMinutes });
  return `${when}, ${start.toFormat('HH:mm')} to ${end.toFormat('HH:mm')}, from ${ukDate(s.startDate)}${s.until ? ` until ${ukDate(s.until)}` : ''}`;
}
