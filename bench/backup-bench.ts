import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/lib/time/clock.js';
import { bootstrapAdmin } from '../src/users/users-service.js';
import { apiCaller, benchDb, line, NPM_START_FLAGS } from './bench-lib.js';
import { childServer } from './child-server.js';
import { goal, ratio } from './goals.js';
import { CORES, ensureWrk, wrk, wrkAsync } from './wrk.js';

const NOW = '2027-03-02T09:30:00Z';
const PASSWORD = 'bench password 123';
/** Padding written into the database so a backup takes long enough to measure beside: about this many MiB. */
const PADDING_MIB = Number(process.env.BENCH_BACKUP_MIB ?? 400);

/**
 * What `npm run backup` costs the server while it runs (issue 32, item 4): the groups list read by
 * wrk on its own core against the server on the other, with no backup, then while backups of a
 * database of several hundred MiB run one after another in their own process (as `npm run backup`
 * does). Goal: the server keeps at least 0.8 of its rate.
 */
export async function backupBench(): Promise<void> {
  if (!ensureWrk()) {
    console.log('\nBackup cost with wrk: skipped (wrk is not installed)');
    return;
  }
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const { db, sqlite, path } = await benchDb();
  await bootstrapAdmin(db, new ManualClock(NOW), { email: 'clp@bench.test', password: PASSWORD, name: 'Bench CLP', practiceName: 'Bench practice' });
  const pad = sqlite.prepare('INSERT INTO backup_runs (started_at, file, ok, error) VALUES (0, NULL, 1, ?)');
  const filler = 'x'.repeat(1000);
  sqlite.transaction(() => {
    for (let i = 0; i < PADDING_MIB * 1000; i++) pad.run(filler);
  })();
  await db.destroy();
  const app = await childServer('bench/api-server.ts', [path, NOW], { core: CORES.server, nodeFlags: NPM_START_FLAGS });
  const base = `http://127.0.0.1:${app.port}`;
  const dir = mkdtempSync(join(tmpdir(), 'clg-bench-backups-'));
  let backups = 0;
  let stopping = false;
  try {
    const { token } = await apiCaller(base)('POST', '/api/v1/auth/login', undefined, { email: 'clp@bench.test', password: PASSWORD });
    const url = `${base}/api/v1/groups`;
    const headers = { authorization: `Bearer ${token}` };
    wrk(url, { seconds: 3, headers }); // warm
    const alone = wrk(url, { seconds, headers });
    // Backups one after another, each `npm run backup`, unpinned as an operator's would be.
    const looping = (async () => {
      while (!stopping) {
        await new Promise<void>((resolve, reject) => {
          // Exactly as an operator runs it (package.json gives it the lowest CPU priority).
          const child = spawn('npm', ['run', '--silent', 'backup', '--', '--to', dir], {
            env: { ...process.env, DATABASE_PATH: path },
            stdio: 'ignore',
          });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`backup exited ${code}`))));
        });
        backups++;
      }
    })();
    const during = await wrkAsync(url, { seconds, headers });
    stopping = true;
    await looping;
    const r = during.rps / alone.rps;
    console.log(`\nBackup cost (${PADDING_MIB} MiB database, ${backups} backups during ${seconds} s of wrk on the groups list)`);
    line(
      'groups list while backing up',
      `${during.rps.toFixed(0)} req/s`,
      `the same alone (${alone.rps.toFixed(0)} req/s)`,
      r,
      `p99 ${during.p99.toFixed(1)} ms`,
    );
    goal({ measure: 'Server rate while npm run backup runs (32)', filed: '0.36×', now: ratio(r), goal: '≥ 0.80×', met: r >= 0.8 });
  } finally {
    stopping = true;
    await app.stop();
  }
}
