import { spawn, type ChildProcess } from 'node:child_process';
import { pinned } from './wrk.js';

/** Starts a bench server script in its own process and waits for the port it prints. */
export async function childServer(
  script: string,
  args: string[] = [],
  opts: { core?: number; nodeFlags?: string[] } = {},
): Promise<{ port: number; pid: number; output: () => string; stop: () => Promise<string> }> {
  // BENCH_PROFILE=DIR writes a CPU profile of each server (open it in Chrome's devtools) to see where a request's time goes.
  const node = [
    ...(opts.nodeFlags ?? []),
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    '--import',
    'tsx',
    script,
    ...args,
  ];
  // On a core of its own when asked (and taskset exists), so a load generator on another core is not competing with it.
  const [file, all] = opts.core === undefined ? [process.execPath, node] : pinned(opts.core, process.execPath, node);
  const child: ChildProcess = spawn(file, all, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/\{"port":(\d+)\}/);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
  return {
    port,
    pid: child.pid!,
    output: () => out,
    stop: () =>
      new Promise<string>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve(out));
        child.kill('SIGTERM');
      }),
  };
}
