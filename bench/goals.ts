/**
 * The goals' table: each measure as its issue filed it, as measured in this run, and its goal.
 * Printed at the end of `npm run bench` so README can carry it as it stands.
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
  console.log('\nGoals (ratios to floors measured in this run)');
  console.log('| measure | as filed | now | goal | |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const g of goals) console.log(`| ${g.measure} | ${g.filed} | ${g.now} | ${g.goal} | ${g.met ? 'met' : 'not met'} |`);
}

export const ratio = (x: number) => `${x.toFixed(2)}×`;
