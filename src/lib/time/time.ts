import { DateTime } from 'luxon';
import { isIanaZone, offsetMinutes } from './zone-offsets.js';

/** An instant as ISO-8601 with the practice's offset, as people there read it. */
export function toZonedIso(ms: number, zone: string): string {
  // By hand from a remembered offset: luxon took 7 µs a call, 26 calls a read of 12 weeks of sessions.
  if (!Number.isInteger(ms) || !isIanaZone(zone)) return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!;
  const offset = offsetMinutes(zone, ms);
  const wall = new Date(ms + offset * 60_000).toISOString();
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  const suffix = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return (ms % 1000 === 0 ? wall.slice(0, 19) : wall.slice(0, 23)) + suffix;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(ms: number, zone: string): string {
  if (Number.isInteger(ms) && isIanaZone(zone)) return new Date(ms + offsetMinutes(zone, ms) * 60_000).toISOString().slice(0, 10);
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

/** Adds days to a YYYY-MM-DD date without any zone involved. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/**
 * The UTC instant of a local date and HH:MM wall time. A time inside a spring-forward gap moves
 * forward; a time that happens twice (01:30 on the last Sunday of October) is the first of the two,
 * as RFC 5545 reads `DTSTART;TZID=…:…T013000`, so our times and calendar clients agree.
 */
export function localToMillis(date: string, time: string, zone: string): number {
  const [hour, minute] = time.split(':').map(Number);
  const [year, month, day] = date.split('-').map(Number);
  if (isIanaZone(zone)) {
    // Far from a clock change the wall time has one reading: the remembered offset gives it.
    const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!);
    const at = wall - offsetMinutes(zone, wall) * 60_000;
    const steady = offsetMinutes(zone, at - 3 * 3_600_000) === offsetMinutes(zone, at + 3 * 3_600_000);
    if (steady && at + offsetMinutes(zone, at) * 60_000 === wall) return at;
  }
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  const earlier = dt.minus({ hours: 1 });
  return sameWallTime(earlier, dt) ? earlier.toMillis() : dt.toMillis();
}

const sameWallTime = (a: DateTime, b: DateTime) => a.hour === b.hour && a.minute === b.minute && a.day === b.day;

/** Whether a local time happens twice (clocks going back): an hour before or after reads the same. */
export function isRepeatedLocalTime(dt: DateTime): boolean {
  return sameWallTime(dt.minus({ hours: 1 }), dt) || sameWallTime(dt.plus({ hours: 1 }), dt);
}

/** Start of a local date as a UTC instant. */
export function startOfLocalDate(date: string, zone: string): number {
  // Midnight as a wall time: the remembered offsets answer it without luxon (a list of sessions asks twice a request).
  return localToMillis(date, '00:00', zone);
}

/** A real calendar date written YYYY-MM-DD (not 2027-02-30): read back from Date.UTC, it is the same day. */
export function isValidDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && year > 0;
}

export type ParsedInstant = { ok: true; ms: number } | { ok: false; reason: 'format' | 'skipped'; message: string };

/**
 * Parses an ISO date-time from a client. Without an offset it is read as the practice's wall time,
 * which is what a CLP typing "10:00" means; a wall time the clocks skip (01:30 on the March change
 * night) is refused with words, never quietly moved to 02:30.
 */
export function parseInstant(text: string, zone: string): ParsedInstant {
  const dt = DateTime.fromISO(text, { zone, setZone: false });
  const format = { ok: false, reason: 'format', message: 'must be an ISO-8601 date-time like 2027-03-30T10:00:00+01:00' } as const;
  if (!dt.isValid) return format;
  if (/([zZ]|[+-]\d{2}(:?\d{2})?)$/.test(text.trim())) return { ok: true, ms: dt.toMillis() };
  // Wall time without an offset: read its fields as typed, since luxon has already moved a skipped one.
  const m = text.trim().match(/^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/);
  if (!m) return format;
  const skipped = skippedWallTime(m[1]!, `${m[2]}:${m[3]}`, zone);
  if (skipped) return { ok: false, reason: 'skipped', message: skipped };
  // A repeated hour means its first occurrence, like localToMillis.
  return { ok: true, ms: localToMillis(m[1]!, `${m[2]}:${m[3]}`, zone) + dt.second * 1000 + dt.millisecond };
}

/**
 * Why a local date and time never happen in a zone (the hour the clocks go forward), in words a
 * person can act on; null for a time that exists.
 */
export function skippedWallTime(date: string, time: string, zone: string): string | null {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  if (!dt.isValid || (dt.hour === hour && dt.minute === minute)) return null;
  // Find the change itself to name the hour that is missing (01:00 to 02:00 in Europe/London).
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!);
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  let lo = wall - dt.offset * 60_000;
  let hi = wall - offsetAt(lo - 6 * 3_600_000) * 60_000;
  if (hi < lo) [lo, hi] = [hi, lo];
  const before = offsetAt(lo);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  // `hi` is the first instant after the change: read with the offset before it, it is where the gap starts.
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const from = hhmm(hi + before * 60_000);
  const to = hhmm(hi + offsetAt(hi) * 60_000);
  const on = DateTime.fromObject({ year, month, day }, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
  return `${time} on ${on} does not exist here: the clocks go forward from ${from} to ${to}. Choose a time before ${from} or from ${to}`;
}

/** A calendar date as people in the UK read it: "1 Dec 2026", or "Tuesday 1 December 2026" in full. */
export function ukDate(date: string, full = false): string {
  return DateTime.fromISO(date)
    .setLocale('en-GB')
    .toFormat(full ? 'cccc d LLLL yyyy' : 'd LLL yyyy');
}

/** An instant as a person in the practice reads it: "Tue 2 Mar 2027, 10:30". */
export function ukDateTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm');
}
