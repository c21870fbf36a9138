import { DateTime } from 'luxon';

/** No texts between 21:00 and 08:00 local: people in crisis should not be woken by us. */
const QUIET_START = 21;
const QUIET_END = 8;
/** A text that would fall in quiet hours goes out at this local time the evening before instead. */
const EVENING_SEND = { hour: 20, minute: 30 };

export function inQuietHours(ms: number, zone: string): boolean {
  const h = DateTime.fromMillis(ms, { zone }).hour;
  return h >= QUIET_START || h < QUIET_END;
}

/** Moves a due time out of quiet hours to the evening before it (earlier, never later). */
export function shiftEarlier(ms: number, zone: string): number {
  if (!inQuietHours(ms, zone)) return ms;
  const t = DateTime.fromMillis(ms, { zone });
  const day = t.hour >= QUIET_START ? t : t.minus({ days: 1 });
  return day.set({ ...EVENING_SEND, second: 0, millisecond: 0 }).toMillis();
}

/** The next moment texts may go out: now if outside quiet hours, else 08:00 local. */
export function nextSendableTime(ms: number, zone: string): number {
  if (!inQuietHours(ms, zone)) return ms;
  const t = DateTime.fromMillis(ms, { zone });
  const day = t.hour >= QUIET_START ? t.plus({ days: 1 }) : t;
  return day.set({ hour: QUIET_END, minute: 0, second: 0, millisecond: 0 }).toMillis();
}
