import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

/** CPU time (user + system, ms) used so far by every workerd process of a process group: the worker and its local D1. */
export function workerdCpuMs(pgid: number): number {
  const pids = execFileSync('ps', ['-o', 'pid=,comm=', '-g', String(pgid)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'workerd')
    .map(([pid]) => Number(pid));
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return ticks * TICK_MS;
}

/** The variables every bench's workerd starts with (its first admin is made only on an empty database). */
export const WORKERD_BENCH_VARS = {
  ADMIN_EMAIL: 'admin@worker.bench',
  ADMIN_PASSWORD: 'worker bench password',
  PRACTICE_NAME: 'Bench',
  PUBLIC_BASE_URL: 'https://bench.example.org',
};
