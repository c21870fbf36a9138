import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { testDir } from './test-dir.js';

export interface SpawnedServer {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

export const tempDbPath = () => join(testDir('clg-'), 'app.db');

/**
 * Runs an entry script as `npm start` would (or `npm start` itself, which bundles the entry first),
 * on 127.0.0.1 and a free port, and waits for it to listen.
 */
export function spawnServer(script: string, env: Record<string, string>, args: string[] = []): Promise<SpawnedServer> {
  const npm = script === 'npm start';
  // npm start runs in its own process group, so that stopping it reaches the server npm started.
  const child = spawn(npm ? 'npm' : process.execPath, npm ? ['start', '--silent'] : ['--import', 'tsx', script, ...args], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: npm,
  });
  const signal = (name: NodeJS.Signals) => (npm ? process.kill(-child.pid!, name) : child.kill(name));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal('SIGKILL');
      reject(new Error(`server did not start:\n${out}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
    child.stdout!.on('data', () => {
      const m = out.match(/listening on (http:\/\/\S+?:(\d+))/);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        child,
        baseUrl: `http://127.0.0.1:${m[2]}`,
        output: () => out,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            signal('SIGTERM');
          }),
      });
    });
  });
}

/** Runs a script to completion and returns its exit code and output; a script still running after `timeoutMs` is killed. */
export function runScript(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
