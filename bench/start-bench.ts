import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { line } from './bench-lib.js';
import { goal } from './goals.js';
import { load } from './load.js';

/** The resident set of a process and its peak so far, from /proc (Linux), in MiB. */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0);
  return { now: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/**
 * Issue 17: `npm start` on the large set, timed from the command to its first answer, then held
 * under load while its first reminder pass plans the whole look-ahead, watching its memory.
 */
export async function startBench(path: string, token: string, readPath: string): Promise<void> {
  // A first start: nothing planned yet, so the pass plans every practice's 15 days.
  const sqlite = new Database(path);
  sqlite.exec('DELETE FROM reminder_plans');
  sqlite.close();

  // As after `npm ci` (its prepare step bundles): the start itself is what is timed.
  execFileSync(process.execPath, ['src/cli/start.mjs', '--build-only']);
  const t0 = performance.now();
  const npm = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, DATABASE_PATH: path, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  npm.stderr!.on('data', (d) => (out += d));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      npm.stdout!.on('data', (d) => {
        out += d;
        const m = out.match(/listening on http:\/\/\S+?:(\d+)/);
        if (m) resolve(Number(m[1]));
      });
      npm.on('exit', (code) => reject(new Error(`npm start exited ${code}:\n${out}`)));
    });
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (res?.ok) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const first = performance.now() - t0;
    const server = Number(
      execFileSync('pgrep', ['-P', String(npm.pid)])
        .toString()
        .trim()
        .split('\n')[0],
    );
    const idle = rss(server);
    // Reads while the first pass plans, then more, watching the server's memory all along.
    let peak = idle.peak;
    const watch = setInterval(() => (peak = Math.max(peak, rss(server).peak)), 100);
    const busy = await load(port, readPath, { seconds: 10, headers: { authorization: `Bearer ${token}` } });
    const health = await load(port, '/healthz', { seconds: 3 });
    clearInterval(watch);
    peak = Math.max(peak, rss(server).peak);
    console.log('\n`npm start` on the large set');
    line('command → first /healthz answer', `${(first / 1000).toFixed(2)} s`, 'target 2 s', first / 2000, '(the bundle made by npm ci)');
    line('register reads while the first pass plans', `${busy.rps.toFixed(0)} req/s`, 'healthz after', busy.rps / health.rps, `p99 ${busy.p99.toFixed(1)} ms`);
    line('server RSS: idle / peak under pass and load', `${idle.now.toFixed(0)} / ${peak.toFixed(0)} MiB`, 'target 200 MiB', peak / 200);
    goal({
      measure: '`npm start` → first answer, large set',
      filed: '24.6 s',
      now: `${(first / 1000).toFixed(2)} s`,
      goal: '< 2 s on the large set',
      met: first < 2000,
    });
    goal({
      measure: 'RSS',
      filed: '144 MiB idle, 226 MiB after 10k requests, 390–490 MiB under `npm start` with its pass',
      now: `${idle.now.toFixed(0)} MiB idle, ${peak.toFixed(0)} MiB at most under \`npm start\` with its first pass and ${(busy.rps * 10 + health.rps * 3).toFixed(0)} requests`,
      goal: '< 200 MiB throughout',
      met: peak < 200,
    });
  } finally {
    await new Promise<void>((resolve) => {
      if (npm.exitCode !== null) return resolve();
      npm.once('exit', () => resolve());
      process.kill(-npm.pid!, 'SIGTERM');
    });
  }
}
