/** Rounded to `dp` decimal places (2 unless said): rates, means and money as people read them. */
export const round = (n: number, dp = 2): number => Math.round(n * 10 ** dp) / 10 ** dp;

/** A count and its noun as people say it: "1 text", "3 texts"; "1 person", "3 people" given the plural. */
export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
