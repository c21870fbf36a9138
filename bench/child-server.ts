import { spawn, type ChildProcess } from 'node:child_process';

/** Starts a bench server script in its own process and waits for the port it prints. */
export async function childServer(script: string, args: string[] = []): Promise<{ port: number; stop: () => Promise<string> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    stop: () =>
      new Promise<string>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve(out));
        child.kill('SIGTERM');
      }),
  };
}
