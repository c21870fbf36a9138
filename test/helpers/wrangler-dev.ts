import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testDir } from './test-dir.js';

export const WRANGLER = join(process.cwd(), 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A wrangler command run to its end, with its output; rejects with that output if it fails. */
export function runWrangler(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, args, { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrangler ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/**
 * The app inside workerd: `wrangler dev` on a free port of 127.0.0.1, with a local D1 database
 * migrated by `wrangler d1 migrations apply` from db/migrations, the given variables, and the cron
 * reachable at /__scheduled, answering `/healthz` when this resolves. Its process group is the
 * returned child's pid (stop it with `stopWranglerDev`); its output goes to `onOutput`.
 */
export async function wranglerDev(
  vars: Record<string, string>,
  onOutput: (text: string) => void = () => undefined,
  opts: { sendQueue?: boolean; auditArchive?: boolean; seeded?: string; board?: string } = {},
) {
  const persist = testDir('clg-d1-');
  const on = (Object.keys(SWITCHES) as (keyof typeof SWITCHES)[]).filter((k) => opts[k as keyof typeof SWITCHES]);
  const config = on.length ? ['--config', withSwitches(on)] : [];
  // A board's database (DB_LOTHIAN) seeded by Node, put in place while it is the only one there.
  if (opts.board) {
    await runWrangler(['d1', 'migrations', 'apply', 'DB_LOTHIAN', '--local', '--persist-to', persist, ...config]);
    asLocalD1(opts.board, persist);
  }
  await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist, ...config]);
  if (opts.seeded) asLocalD1(opts.seeded, persist);
  const port = await freePort();
  const args = [
    'dev',
    ...config,
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    persist,
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    // Its devtools port too: the default is fixed (9229), so a second run (a bench beside the tests) collided.
    '--inspector-ip',
    '127.0.0.1',
    '--inspector-port',
    String(await freePort()),
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ];
  const dev: ChildProcess = spawn(WRANGLER, args, { detached: true, env });
  let output = '';
  const heard = (d: unknown) => {
    // The last of it, for the error below: a bench's thousands of requests log more than a string holds.
    output = (output + String(d)).slice(-65_536);
    onOutput(String(d));
  };
  dev.stdout!.on('data', heard);
  dev.stderr!.on('data', heard);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { dev, base, persist, config };
    await new Promise((r) => setTimeout(r, 250));
  }
  // It may have gone already: what it said is the point, not the stopping.
  stopWranglerDev(dev);
  throw new Error(`wrangler dev did not start:\n${output}`);
}

/**
 * Puts a SQLite file seeded by Node (migrated by the app's own migrations) in place of the local
 * D1 database just migrated by wrangler, keeping the two tables wrangler and workerd keep there:
 * a bench's million rows are seeded in seconds this way, where D1's API would take hours.
 */
function asLocalD1(seeded: string, persist: string): void {
  const dir = join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const name = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (!name) throw new Error(`no local D1 database under ${dir}`);
  const target = join(dir, name);
  const copy = `${target}.seeding`;
  const source = new Database(seeded);
  source.pragma('wal_checkpoint(TRUNCATE)'); // the copy is of the file alone
  source.close();
  copyFileSync(seeded, copy);
  const db = new Database(copy);
  db.exec(`ATTACH DATABASE '${target.replaceAll("'", "''")}' AS d1`);
  for (const table of ['d1_migrations', '_cf_METADATA']) {
    const { sql } = db.prepare(`SELECT sql FROM d1.sqlite_master WHERE name = ?`).get(table) as { sql: string };
    db.exec(`DROP TABLE IF EXISTS main."${table}"; ${sql}; INSERT INTO main."${table}" SELECT * FROM d1."${table}"`);
  }
  db.exec('DETACH DATABASE d1');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  for (const f of [`${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  renameSync(copy, target);
}

/** The commented sections of wrangler.toml each option switches on, as README says to deploy them. */
const SWITCHES = {
  sendQueue:
    /^# (\[\[queues\.(producers|consumers)\]\]|binding = "SEND_QUEUE"|queue = "clg-send"|max_batch_size = \d+|max_batch_timeout = \d+|max_concurrency = \d+)$/gm,
  auditArchive: /^# (\[\[r2_buckets\]\]|binding = "AUDIT_ARCHIVE"|bucket_name = "clg-audit-archive"|jurisdiction = "eu")$/gm,
  board: /^# (\[\[d1_databases\]\]|binding = "DB_LOTHIAN"|database_name = "clg-lothian"|database_id = "0+1"|migrations_dir = "db\/migrations")$/gm,
};

/**
 * wrangler.toml with the chosen commented sections switched on, in a file beside it (paths stay
 * relative), named for what is on so that tests running side by side do not share one.
 */
function withSwitches(on: (keyof typeof SWITCHES)[]): string {
  let toml = readFileSync(join(process.cwd(), 'wrangler.toml'), 'utf8');
  for (const name of on) {
    const switched = toml.replace(SWITCHES[name], '$1');
    if (switched === toml) throw new Error(`wrangler.toml has no ${name} to switch on`);
    toml = switched;
  }
  const path = join(process.cwd(), `wrangler.${on.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join('.')}.toml`);
  writeFileSync(path, toml);
  return path;
}

/** Stops `wrangler dev` and workerd under it: the whole process group, by its pid. */
export function stopWranglerDev(dev: ChildProcess | undefined): void {
  if (!dev?.pid) return;
  try {
    process.kill(-dev.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}
