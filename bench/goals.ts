/**
 * Issue 17's table: each measure as the issue filed it, as measured in this run, and its goal.
 * Printed at the end of `npm run bench large` so README can carry it as it stands.
 */
export interface Goal {
  measure: string;
  filed: string;
  now: string;
  goal: string;
  met: boolean;
}

const goals: Goal[] = [];

export function goal(g: Goal): void {
  goals.push(g);
}

export function printGoals(): void {
  if (goals.length === 0) return;
  console.log('\nIssue 17 goals (ratios to floors measured in this run)');
  console.log('| measure | filed (issue 17) | now | goal | |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const g of goals) console.log(`| ${g.measure} | ${g.filed} | ${g.now} | ${g.goal} | ${g.met ? 'met' : 'not met'} |`);
}

export const ratio = (x: number) => `${x.toFixed(2)}×`;
