import { WEEKDAYS } from '../../src/groups/recurrence.js';

/** A group's schedule that meets every day from `startDate`, as the API takes it. */
export function everyDay(startDate: string, startTime: string, durationMinutes: number) {
  return { frequency: 'weekly', weekdays: [...WEEKDAYS], startTime, durationMinutes, startDate };
}
