import { rmSync } from 'node:fs';
import { apiCaller, line } from './bench-lib.js';
import { goal } from './goals.js';
import { BENCH_PASSWORD } from './large-seed.js';
import { WORKERD_BENCH_VARS, workerdCpuMs } from './workerd-cpu.js';
import { stopWranglerDev, wranglerDev } from '../test/helpers/wrangler-dev.js';

/**
 * The national set's programme reports through workerd and its local D1, within Workers Free's 50
 * queries (`D1_QUERY_BUDGET=50`): the seeded SQLite file becomes the local D1 database, and each
 * report, JSON and CSV, is asked for over HTTP as a programme admin would. Wall time and the CPU
 * of workerd and its database together (an upper bound of the worker's own: Paid allows 30 s by
 * default, up to 5 minutes).
 */
export async function nationalOnWorkers(
  seeded: string,
  range: { from: string; to: string },
  closed: { from: string; to: string },
  practices: number,
): Promise<void> {
  const vars = {
    ...WORKERD_BENCH_VARS,
    D1_QUERY_BUDGET: '50',
  };
  const { dev, base, persist } = await wranglerDev(vars, () => undefined, { seeded });
  try {
    const { token } = await apiCaller(base)('POST', '/api/v1/auth/login', undefined, { email: 'programme@bench.test', password: BENCH_PASSWORD });
    console.log(`\nOn Workers (workerd + local D1 holding the same ${practices.toLocaleString('en-GB')} practices, D1_QUERY_BUDGET=50)`);
    const failed: string[] = [];
    const ask = async (path: string, period: string, label = `programme ${path} on workerd`) => {
      const before = workerdCpuMs(dev.pid!);
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/programme/reports/${path}?${period}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      const wall = performance.now() - t0;
      const cpu = workerdCpuMs(dev.pid!) - before;
      const rows = path.endsWith('.csv') ? body.trim().split('\n').length - 1 : null;
      if (res.status !== 200) failed.push(`${path} ${res.status}`);
      line(
        label,
        `${(wall / 1000).toFixed(2)} s`,
        'of Paid’s 30 s CPU',
        cpu / 30_000,
        `${res.status}, ${(cpu / 1000).toFixed(2)} s CPU${rows === null ? '' : `, ${rows.toLocaleString('en-GB')} rows`}${res.status === 200 ? '' : `: ${body.slice(0, 160)}`}`,
      );
    };
    for (const path of ['impact', 'impact.csv', 'attendance', 'attendance.csv', 'monitoring', 'monitoring.csv'])
      await ask(path, `from=${range.from}&to=${range.to}`);
    // A year that is over: the first answer keeps each practice's figures in D1, the second reads them.
    const over = `from=${closed.from}&to=${closed.to}`;
    await ask('impact', over, 'programme impact, a year that is over, on workerd (worked out and kept)');
    await ask('impact', over, 'programme impact asked again on workerd (figures kept)');
    goal({
      measure: `programme reports at ${practices.toLocaleString('en-GB')} practices on workerd with D1_QUERY_BUDGET=50`,
      filed: '503 from the sixth practice',
      now: failed.length ? failed.join(', ') : 'all six answer 200 (JSON and CSV)',
      goal: 'answer within 50 queries',
      met: failed.length === 0,
    });
  } finally {
    stopWranglerDev(dev);
    // A copy of the whole set, a gigabyte: removed once workerd has let go of it.
    await new Promise((r) => setTimeout(r, 2000));
    rmSync(persist, { recursive: true, force: true });
  }
}
