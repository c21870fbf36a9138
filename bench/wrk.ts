import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpus } from 'node:os';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * wrk, Debian's package, installed here if missing (the bench needs root or sudo for that). The
 * in-process load generator shares the cores with the server and so understates the floor: wrk on
 * a core of its own is how an outside client sees the server.
 */
export function ensureWrk(): boolean {
  if (has('wrk')) return true;
  const apt = process.getuid?.() === 0 ? ['apt-get'] : has('sudo') ? ['sudo', '-n', 'apt-get'] : null;
  if (!apt) return false;
  spawnSync(apt[0]!, [...apt.slice(1), 'install', '-y', '-q', 'wrk'], { stdio: 'ignore' });
  return has('wrk');
}

/** The cores the servers and wrk are pinned to: the server on the first, wrk on the last (taskset where it exists). */
export const CORES = { server: 0, client: Math.max(1, cpus().length - 1) };
export const canPin = has('taskset') && cpus().length >= 2;

/** A command run on one core where taskset exists, as [file, args]. */
export function pinned(core: number, file: string, args: string[]): [string, string[]] {
  return canPin ? ['taskset', ['-c', String(core), file, ...args]] : [file, args];
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
}

/** Milliseconds from wrk's "1.23ms" / "456.00us" / "1.02s". */
function ms(text: string): number {
  const m = text.match(/^([\d.]+)(us|ms|s)$/);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

/** One wrk run on the client core: `connections` keep-alive connections for `seconds`, one thread. */
export function wrk(url: string, opts: WrkOptions = {}): WrkResult {
  const [file, all] = wrkCommand(url, opts);
  return parse(execFileSync(file, all, { encoding: 'utf8' }));
}

/** The same, without blocking: for two loads at once (a flood and a reader). */
export async function wrkAsync(url: string, opts: WrkOptions = {}): Promise<WrkResult> {
  const [file, all] = wrkCommand(url, opts);
  return parse((await promisify(execFile)(file, all, { encoding: 'utf8' })).stdout);
}

interface WrkOptions {
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
  /** A Lua script (wrk -s), e.g. to POST sign-ins. */
  script?: string;
}

function wrkCommand(url: string, opts: WrkOptions): [string, string[]] {
  const args = ['-t1', `-c${opts.connections ?? 50}`, `-d${opts.seconds ?? 10}s`, '--latency'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (opts.script) args.push('-s', opts.script);
  return pinned(CORES.client, 'wrk', [...args, url]);
}

function parse(out: string): WrkResult {
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN);
  const latency = (pct: string) => ms(out.match(new RegExp(`^\\s+${pct}%\\s+(\\S+)`, 'm'))?.[1] ?? '');
  const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  return { rps, p50: latency('50'), p99: latency('99'), requests, non2xx };
}
