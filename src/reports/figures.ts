/** Counts from 1 to 4 could identify someone once they leave a practice: shown as "<5". */
export function suppress(n: number): number | '<5' {
  return n > 0 && n < 5 ? '<5' : n;
}

/** GP appointments after a start are counted only with at least this many days of data. */
export const GP_MIN_AFTER_DAYS = 91;

/** A rate, mean or median shown only where it rests on 5 people or more. */
export const overFive = <T>(n: number, value: T): T | null => (n >= 5 ? value : null);

const WEEK_MS = 7 * 86_400_000;
/** Four weeks after a 10:00 GMT session is 10:00 BST, an hour less in UTC: weeks are counted with that slack. */
const CLOCK_CHANGE_SLACK_MS = 2 * 3_600_000;

/** How long "n weeks later" is between two sessions' instants, across a clock change too. */
export const weeksLater = (weeks: number): number => weeks * WEEK_MS - CLOCK_CHANGE_SLACK_MS;
