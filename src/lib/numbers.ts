/** Rounded to `dp` decimal places (2 unless said): rates, means and money as people read them. */
export const round = (n: number, dp = 2): number => Math.round(n * 10 ** dp) / 10 ** dp;
