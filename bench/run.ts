import { feedBench } from './feed-bench.js';
import { httpBench } from './http-bench.js';
import { programmeBench } from './programme-bench.js';
import { phoneBench } from './phone-bench.js';
import { workersBench } from './workers-bench.js';
import { printGoals } from './goals.js';
import { largeBench } from './large-bench.js';
import { reportBench } from './report-bench.js';
import { smsBench } from './sms-bench.js';
import { backupBench } from './backup-bench.js';
import { nationalBench } from './national-bench.js';
import { archiveBench } from './archive-bench.js';

/**
 * `npm run bench`: every benchmark, each printing its figures as ratios against a floor measured
 * in the same run on the same machine, so the numbers survive a change of hardware.
 */
const benches: Record<string, () => Promise<void>> = {
  http: httpBench,
  phone: phoneBench,
  workers: workersBench,
  programme: programmeBench,
  report: reportBench,
  feed: feedBench,
  sms: smsBench,
  large: largeBench,
  backup: backupBench,
  archive: archiveBench,
};
// Run only when asked for (`npm run bench -- national`): it seeds 1,000 practices.
const onDemand: Record<string, () => Promise<void>> = { national: nationalBench };
const only = process.argv[2];
console.log(`Community Links Groups benchmarks — node ${process.version}, ${new Date().toISOString()}`);
if (only && onDemand[only]) await onDemand[only]();
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
}
printGoals();
