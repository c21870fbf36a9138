import { describe, expect, it } from 'vitest';
import { occurrencesBetween, slotDates, type Schedule } from '../src/groups/recurrence.js';

const base: Schedule = {
  frequency: 'weekly',
  weekdays: ['tue'],
  weekOfMonth: null,
  startTime: '10:00',
  durationMinutes: 60,
  startDate: '2027-03-02',
  until: null,
  count: null,
};

describe('schedule slots', () => {
  it('weekly on several weekdays, from the start date on', () => {
    expect(slotDates({ ...base, weekdays: ['mon', 'thu'], startDate: '2027-03-02' }, '2027-03-15')).toEqual([
      '2027-03-04',
      '2027-03-08',
      '2027-03-11',
      '2027-03-15',
    ]);
  });

  it('fortnightly keeps the fortnight of the start week, however far ahead it is asked', () => {
    const s: Schedule = { ...base, frequency: 'fortnightly', startDate: '2027-03-02' };
    expect(slotDates(s, '2027-04-01')).toEqual(['2027-03-02', '2027-03-16', '2027-03-30']);
    expect(slotDates(s, '2027-12-31', '2027-12-01').filter((d) => d >= '2027-12-01')).toEqual(['2027-12-07', '2027-12-21']);
  });

  it('monthly on the nth and the last weekday', () => {
    const second: Schedule = { ...base, frequency: 'monthly', weekdays: ['wed'], weekOfMonth: 2, startDate: '2027-01-01' };
    expect(slotDates(second, '2027-04-30')).toEqual(['2027-01-13', '2027-02-10', '2027-03-10', '2027-04-14']);
    const last: Schedule = { ...base, frequency: 'monthly', weekdays: ['fri'], weekOfMonth: -1, startDate: '2027-01-01' };
    expect(slotDates(last, '2027-04-30')).toEqual(['2027-01-29', '2027-02-26', '2027-03-26', '2027-04-30']);
  });

  it('stops at until (inclusive) or after count sessions', () => {
    expect(slotDates({ ...base, until: '2027-03-16' }, '2027-12-31')).toEqual(['2027-03-02', '2027-03-09', '2027-03-16']);
    expect(slotDates({ ...base, count: 2 }, '2027-12-31')).toEqual(['2027-03-02', '2027-03-09']);
    // the count runs from the start date even when only later slots are asked for
    expect(slotDates({ ...base, count: 3 }, '2027-12-31', '2027-03-10')).toEqual(['2027-03-02', '2027-03-09', '2027-03-16']);
  });

  it('puts 10:00 at 10:00 local on both sides of the 2027 clock changes', () => {
    const o = occurrencesBetween(base, 'Europe/London', '2027-03-23', '2027-03-30');
    expect(o.map((x) => new Date(x.startsAt).toISOString())).toEqual(['2027-03-23T10:00:00.000Z', '2027-03-30T09:00:00.000Z']);
    const autumn = occurrencesBetween(base, 'Europe/London', '2027-10-26', '2027-11-02');
    expect(autumn.map((x) => new Date(x.startsAt).toISOString())).toEqual(['2027-10-26T09:00:00.000Z', '2027-11-02T10:00:00.000Z']);
    expect(autumn.every((x) => x.endsAt - x.startsAt === 3_600_000)).toBe(true);
  });

  it('on the clock-change Sunday itself, a slot keeps its wall time', () => {
    const sunday: Schedule = { ...base, weekdays: ['sun'], startTime: '10:00', startDate: '2027-03-21' };
    const [before, on] = occurrencesBetween(sunday, 'Europe/London', '2027-03-21', '2027-03-28');
    expect(new Date(before!.startsAt).toISOString()).toBe('2027-03-21T10:00:00.000Z');
    expect(new Date(on!.startsAt).toISOString()).toBe('2027-03-28T09:00:00.000Z');
  });
});
