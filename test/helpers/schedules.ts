import { DateTime } from 'luxon';
import { WEEKDAYS } from '../../src/groups/recurrence.js';

/** A group's schedule that meets every day from `startDate`, as the API takes it. */
export function everyDay(startDate: string, startTime: string, durationMinutes: number) {
  return { frequency: 'weekly', weekdays: [...WEEKDAYS], startTime, durationMinutes, startDate };
}

/** Where texts may go now and for the next while (09:00 to 19:00 local): the Workers clock cannot be moved, the practice's zone can. */
export function daytimeZone(): string {
  const zones = [
    'Europe/London',
    'Asia/Dubai',
    'Asia/Kolkata',
    'Asia/Bangkok',
    'Asia/Tokyo',
    'Pacific/Auckland',
    'Pacific/Honolulu',
    'America/Los_Angeles',
    'America/New_York',
    'America/Sao_Paulo',
  ];
  return zones.find((z) => {
    const h = DateTime.now().setZone(z).hour;
    return h >= 9 && h < 19;
  })!;
}
