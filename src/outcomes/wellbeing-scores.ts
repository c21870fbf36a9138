import type { OutcomeMeasure } from '../db/schema.js';

/**
 * SWEMWBS raw total (7-35) to its metric score, from the published conversion table (Warwick
 * Medical School): the raw total is not an interval scale, so changes are compared on this one.
 */
export const SWEMWBS_METRIC: Record<number, number> = {
  7: 7.0,
  8: 9.51,
  9: 11.25,
  10: 12.4,
  11: 13.33,
  12: 14.08,
  13: 14.75,
  14: 15.32,
  15: 15.84,
  16: 16.36,
  17: 16.88,
  18: 17.43,
  19: 17.98,
  20: 18.59,
  21: 19.25,
  22: 19.98,
  23: 20.73,
  24: 21.54,
  25: 22.35,
  26: 23.21,
  27: 24.11,
  28: 25.03,
  29: 26.02,
  30: 27.03,
  31: 28.13,
  32: 29.31,
  33: 30.7,
  34: 32.55,
  35: 35.0,
};

/** A change in the SWEMWBS metric score of at least this many points counts as meaningful (Warwick's guidance: 1 to 3). */
export const SWEMWBS_MEANINGFUL_CHANGE = 3;

export const MEASURES: Record<OutcomeMeasure, { items: number; min: number; max: number; title: string }> = {
  swemwbs: { items: 7, min: 1, max: 5, title: 'SWEMWBS (Short Warwick-Edinburgh Mental Wellbeing Scale)' },
  ons4: { items: 4, min: 0, max: 10, title: 'ONS4 personal wellbeing' },
  happiness: { items: 1, min: 0, max: 10, title: "Happiness yesterday (ONS4's third question, asked alone: by text)" },
};

export const ONS4_ITEMS = ['lifeSatisfaction', 'worthwhile', 'happiness', 'anxiety'] as const;

export interface Scores {
  rawScore: number | null;
  metricScore: number | null;
  ons4: Record<(typeof ONS4_ITEMS)[number], number> | null;
}

export function scoreOutcome(measure: OutcomeMeasure, answers: number[]): Scores {
  if (measure === 'swemwbs') {
    const raw = answers.reduce((a, b) => a + b, 0);
    return { rawScore: raw, metricScore: SWEMWBS_METRIC[raw]!, ons4: null };
  }
  if (measure === 'happiness') return { rawScore: answers[0]!, metricScore: null, ons4: null };
  const [lifeSatisfaction, worthwhile, happiness, anxiety] = answers as [number, number, number, number];
  return { rawScore: null, metricScore: null, ons4: { lifeSatisfaction, worthwhile, happiness, anxiety } };
}
