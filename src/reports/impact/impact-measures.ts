import { round } from '../../lib/numbers.js';
import { GP_MIN_AFTER_DAYS } from '../figures.js';
import { SWEMWBS_MEANINGFUL_CHANGE } from '../../outcomes/wellbeing-scores.js';

export const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

export const METHODS = {
  funnel:
    'Counts people, each once: those referred to a group (an enrolment requested) in the period; of them, those given a place, and those marked present or late at least once, and at least three times, to date.',
  attendance:
    'Counts places (one person at one session), not people: present or late, over everyone marked present, late or absent at sessions held in the period. Apologies are counted apart and kept out of the rate; the unnamed headcount is not in it either.',
  retention:
    'Counts people, each once: of those whose first session in a group fell in the period at least 4 (or 12) weeks before its end, the share marked present or late at a session of that group 4 (or 12) weeks or more after their first (in any of their groups, for someone who began more than one).',
  swemwbs: `People whose first SWEMWBS (the baseline) was taken in the period and who have a later one at least 8 weeks on (the follow-up: the latest). Scores are metric scores from the published conversion table; a meaningful improvement is a rise of ${SWEMWBS_MEANINGFUL_CHANGE} or more.`,
  ons4: 'The same pairing for ONS4: the mean change in each answer (0-10). For anxiety a fall is an improvement.',
  gp: `People whose first session fell in the period, who came to 3 or more sessions and whose CHI number matches the practice's appointment export: appointments in the 12 months before their first session, against those from it to the end of the data (at least ${GP_MIN_AFTER_DAYS} days), scaled to a year. A period that straddles a boundary is shared out by days.`,
};
