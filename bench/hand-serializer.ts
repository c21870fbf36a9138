import type { FeedSession } from '../src/feeds/feed-data.js';
import { foldLines } from '../src/feeds/fold-lines.js';

/**
 * The floor for feed rendering: the same VEVENT properties, escaping and folding written by hand
 * with precomputed offsets (what any serializer must at least do). Bench-only.
 */
const esc = (s: string) => s.replace(/[\\;,]/g, (m) => `\\${m}`).replace(/\r?\n/g, '\\n');
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
function utc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}
function london(ms: number): string {
  // Europe/London: +1h between the last Sundays of March and October at 01:00 UTC.
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const lastSunday = (m: number) => {
    const last = new Date(Date.UTC(y, m + 1, 0, 1));
    return last.getTime() - last.getUTCDay() * 86_400_000;
  };
  const local = new Date(ms + (ms >= lastSunday(2) && ms < lastSunday(9) ? 3_600_000 : 0));
  return `${local.getUTCFullYear()}${pad(local.getUTCMonth() + 1)}${pad(local.getUTCDate())}T${pad(local.getUTCHours())}${pad(local.getUTCMinutes())}00`;
}

export function handSerialize(sessions: FeedSession[], now: number, vtimezone: string): string {
  let out = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n' + vtimezone;
  const stamp = utc(now);
  for (const s of sessions) {
    const cancelled = s.status === 'cancelled';
    out +=
      `BEGIN:VEVENT\r\nUID:session-${s.id}@bench\r\nSEQUENCE:${s.sequence}\r\nDTSTAMP:${stamp}\r\n` +
      `DTSTART;TZID=Europe/London:${london(s.starts_at)}\r\nDTEND;TZID=Europe/London:${london(s.ends_at)}\r\n` +
      `SUMMARY:${esc(cancelled ? `Cancelled: ${s.group_name}` : s.group_name)}\r\nLOCATION:${esc(`${s.venue_name}, ${s.venue_address ?? ''}`)}\r\n` +
      `DESCRIPTION:${esc(`Facilitator: ${s.facilitators ?? ''}\nPlaces taken: ${s.places_taken} of ${s.capacity}\n\n${s.group_description ?? ''}`)}\r\n` +
      `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}\r\nLAST-MODIFIED:${utc(s.updated_at)}\r\nEND:VEVENT\r\n`;
  }
  return foldLines(out + 'END:VCALENDAR\r\n');
}
