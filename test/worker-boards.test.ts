import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from './helpers/http.js';
import { nextChi, PERIOD, practiceWith, type Person } from './helpers/dose-people.js';
import { makeTestApp, TEST_PASSWORD } from './helpers/test-app.js';
import { testDir } from './helpers/test-dir.js';
import { runWrangler, stopWranglerDev, wranglerDev } from './helpers/wrangler-dev.js';

let dev: ChildProcess | undefined;
let base = '';
let persist = '';
let config: string[] = [];
let log = '';
/** What Lothian's own deployment reports of its practices, worked out by Node before its database went to D1. */
let lothianOwn: { attendance: { practices: unknown[] }; impact: { practices: unknown[] } };

const people = (k: number): Person[] =>
  Array.from({ length: 7 + k }, (_, i) => ({ sessions: 2 + ((i + k) % 4), swemwbs: [18, 21 + (i % 3)] as [number, number], chi: nextChi() }));

/** Lothian's database as its own deployment keeps it: two practices with their walks, registers and measures. */
async function lothianDatabase(): Promise<string> {
  const t = await makeTestApp('2027-02-01T09:00:00Z');
  await practiceWith(t, t.practice.id, t.clp.token, people(0), 1);
  await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, people(1), 2);
  await t.db.updateTable('practices').set({ code: 'L1' }).where('id', '=', t.practice.id).execute();
  await t.db.updateTable('practices').set({ code: 'L2' }).where('id', '=', t.otherPractice.id).execute();
  await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
  t.clock.set(new Date().toISOString());
  const token = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token;
  const ask = async (path: string) => (await t.request('GET', `/api/v1/programme/reports/${path}?${PERIOD}`, { token })).body;
  lothianOwn = { attendance: await ask('attendance'), impact: await ask('impact') };
  // What it kept for the programme is its own business: the deployment reading it works out afresh.
  await t.db.deleteFrom('kept_figures').execute();
  const file = join(testDir('clg-lothian-'), 'lothian.db');
  writeFileSync(file, t.sqlite.serialize());
  return file;
}

beforeAll(async () => {
  const vars = {
    ADMIN_EMAIL: 'admin@glasgow.test',
    ADMIN_PASSWORD: 'glasgow admin password',
    PRACTICE_NAME: 'Glasgow Practice',
    PUBLIC_BASE_URL: 'https://groups.example.org',
    D1_QUERY_BUDGET: '50',
    BOARD_NAME: 'Glasgow',
    BOARD_DATABASES: 'Lothian=DB_LOTHIAN',
  };
  ({ dev, base, persist, config } = await wranglerDev(vars, (text) => (log += text), { board: await lothianDatabase() }));
}, 120_000);

afterAll(() => {
  if (process.env.DEBUG_WORKER) console.log(log);
  stopWranglerDev(dev);
});

const api = (method: string, path: string, token?: string) => fetchJson(base, method, path, token);
const withoutBoard = (rows: { board?: string }[]) => rows.map(({ board: _, ...rest }) => rest);

describe("the programme's reports on Workers, across two boards' D1 databases", { timeout: 90_000 }, () => {
  it("read Lothian's D1 database beside this deployment's own, within Workers Free's 50 queries", async () => {
    const token = (await fetchJson(base, 'POST', '/api/v1/auth/login', undefined, { email: 'admin@glasgow.test', password: 'glasgow admin password' })).body
      .token as string;
    for (const path of ['attendance', 'impact', 'impact', 'monitoring']) {
      const res = await api('GET', `/api/v1/programme/reports/${path}?${PERIOD}`, token);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      if (path !== 'attendance' && path !== 'impact') continue;
      const rows = res.body.practices as { board: string; practiceCode: string | null }[];
      expect(rows.map((r) => r.board)).toEqual(['Glasgow', 'Lothian', 'Lothian']);
      expect(withoutBoard(rows.slice(1))).toEqual(path === 'attendance' ? lothianOwn.attendance.practices : lothianOwn.impact.practices);
    }
    const csv = await fetch(`${base}/api/v1/programme/reports/impact.csv?${PERIOD}`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\n').map((line) => line.split(',')[0])).toEqual(expect.arrayContaining(['board', 'Glasgow', 'Lothian']));
    // Worked out once and kept in Lothian's own database, where its deployment keeps them up to date.
    const kept = await runWrangler([
      'd1',
      'execute',
      'DB_LOTHIAN',
      '--local',
      '--persist-to',
      persist,
      ...config,
      '--json',
      '--command',
      'SELECT count(*) AS n FROM kept_figures',
    ]);
    expect(JSON.parse(kept)[0].results[0].n).toBe(2);
    const one = await api('GET', `/api/v1/programme/reports/attendance?${PERIOD}&boards=Lothian&practiceIds=2`, token);
    expect(one.body.practices.map((r: { practiceCode: string }) => r.practiceCode)).toEqual(['L2']);
  });
});
