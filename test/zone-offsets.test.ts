import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isValidDate, localDate, localToMillis, startOfLocalDate, toZonedIso } from '../src/lib/time/time.js';

const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];

/** What luxon says, the slow way the fast paths must agree with. */
function luxonLocalToMillis(date: string, time: string, zone: string): number {
  const [hour, minute] = time.split(':').map(Number);
  const [year, month, day] = date.split('-').map(Number);
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  const earlier = dt.minus({ hours: 1 });
  return earlier.hour === dt.hour && earlier.minute === dt.minute && earlier.day === dt.day ? earlier.toMillis() : dt.toMillis();
}

describe('times shown and scheduled from remembered zone offsets', () => {
  it('format every instant (and its local date) of 2027 as luxon does, on both sides of every clock change (half-hour and 45-minute zones too)', () => {
    for (const zone of ZONES) {
      for (let ms = Date.parse('2027-01-01T00:00:00Z'); ms < Date.parse('2028-01-01T00:00:00Z'); ms += 37 * 60_000 + 1_000) {
        expect(toZonedIso(ms, zone), `${zone} ${ms}`).toBe(DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }));
        expect(localDate(ms, zone), `${zone} ${ms}`).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      }
      expect(toZonedIso(Date.parse('2027-06-01T09:00:00.250Z'), zone)).toBe(
        DateTime.fromMillis(Date.parse('2027-06-01T09:00:00.250Z'), { zone }).toISO({ suppressMilliseconds: true }),
      );
    }
  });

  it('place every wall time of 2027 as luxon does, including the hour that is skipped and the hour that happens twice', () => {
    for (const zone of ZONES) {
      for (let day = Date.parse('2027-01-01T00:00:00Z'); day < Date.parse('2028-01-01T00:00:00Z'); day += 86_400_000) {
        const date = new Date(day).toISOString().slice(0, 10);
        for (const time of ['00:00', '00:30', '01:00', '01:30', '02:00', '02:15', '02:30', '03:00', '03:45', '10:00', '23:30']) {
          expect(localToMillis(date, time, zone), `${zone} ${date} ${time}`).toBe(luxonLocalToMillis(date, time, zone));
        }
      }
    }
    // London: 01:30 on 28 March 2027 does not exist (moves forward); on 31 October it happens twice (the first).
    expect(new Date(localToMillis('2027-03-28', '01:30', 'Europe/London')).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(new Date(localToMillis('2027-10-31', '01:30', 'Europe/London')).toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });

  it('start every local day of 2027 where luxon does (Santiago skips midnight), and tell real dates from impossible ones', () => {
    for (const zone of [...ZONES, 'America/Santiago']) {
      for (let d = DateTime.fromISO('2027-01-01', { zone: 'utc' }); d.year === 2027; d = d.plus({ days: 1 })) {
        const date = d.toISODate()!;
        expect(startOfLocalDate(date, zone), `${zone} ${date}`).toBe(DateTime.fromISO(date, { zone }).startOf('day').toMillis());
      }
    }
    for (const date of ['2027-02-28', '2028-02-29', '2000-02-29', '2027-12-31']) expect(isValidDate(date), date).toBe(true);
    for (const date of ['2027-02-29', '1900-02-29', '2027-13-01', '2027-04-31', '2027-00-10', '2027-1-5', '27-01-05', ''])
      expect(isValidDate(date), date).toBe(false);
  });
});
