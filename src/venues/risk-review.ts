import { DateTime } from 'luxon';

/** A venue's risk assessment as stored: when it was last reviewed, and how often it must be. */
export interface RiskReviewed {
  risk_assessed_on: string | null;
  risk_review_months: number | null;
}

/**
 * When the next review is due (YYYY-MM-DD), or null when the venue sets no review interval. A
 * review every 6 months from 31 August falls due on 28 February (or the 29th): the month's last day.
 */
export function riskReviewDueOn(v: RiskReviewed): string | null {
  if (v.risk_review_months === null) return null;
  // Never assessed but needing it: due already, from the start of time.
  if (v.risk_assessed_on === null) return '0000-01-01';
  return DateTime.fromISO(v.risk_assessed_on, { zone: 'utc' }).plus({ months: v.risk_review_months }).toISODate();
}

/** Overdue on a local date: the due date has passed (a review due today is not yet late). */
export function riskReviewOverdue(v: RiskReviewed, today: string): boolean {
  const due = riskReviewDueOn(v);
  return due !== null && due < today;
}

const longDate = (iso: string) => DateTime.fromISO(iso).setLocale('en-GB').toFormat('d LLLL yyyy');

/** The words a person reads beside an overdue venue: when it fell due first, since that is what says how late it is. */
export function riskReviewWords(v: RiskReviewed & { name: string }): string {
  return v.risk_assessed_on === null
    ? `${v.name}: no risk assessment is recorded (one is needed every ${v.risk_review_months} months)`
    : `${v.name}: risk assessment was due for review on ${longDate(riskReviewDueOn(v)!)} (last reviewed ${longDate(v.risk_assessed_on)}, due every ${v.risk_review_months} months)`;
}
