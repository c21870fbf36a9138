import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { kyselyFor, migrate, openSqlite, readMigrationFiles } from '../src/db/sqlite.js';
import { openBoardDatabases } from '../src/node/board-databases.js';
import { createPractice } from '../src/users/users-service.js';
import { nextChi, PERIOD, practiceWith, type Person } from './helpers/dose-people.js';
import { freshDb, makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';
import { testDir } from './helpers/test-dir.js';

const NOW = '2028-03-15T12:00:00Z';

/** Each practice's people, unlike the others' so a row put in the wrong place would show. */
const peopleOf = (k: number): Person[] => [
  ...Array.from({ length: 2 + k }, () => ({ sessions: 0, swemwbs: [20, 21] as [number, number] })),
  ...Array.from({ length: 6 + k }, (_, i) => ({
    sessions: 3 + ((i + k) % 5),
    swemwbs: [18, 22 + ((i + k) % 4)] as [number, number],
    ons4: [
      [5, 5, 5, 5],
      [6, 6, 5, 4],
    ] as [number[], number[]],
    gp: [9, 5 + (i % 3)] as [number, number],
    chi: nextChi(),
  })),
  ...Array.from({ length: 3 }, () => ({ sessions: 1 + k, chi: nextChi() })),
];

const asProgrammeAdmin = async (t: TestApp) => {
  await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
  return (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token as string;
};

/** A board's two practices (the test app's), coded and given people by the numbers in `ks`. */
async function board(ks: [number, number], codes: [string, string], people: Person[][], deps: Parameters<typeof makeTestApp>[2] = {}, name?: string) {
  const t = await makeTestApp('2027-02-01T09:00:00Z', name ? { boardName: name } : {}, deps);
  await practiceWith(t, t.practice.id, t.clp.token, people[ks[0]]!, ks[0] + 1);
  await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, people[ks[1]]!, ks[1] + 1);
  await t.db.updateTable('practices').set({ code: codes[0] }).where('id', '=', t.practice.id).execute();
  await t.db.updateTable('practices').set({ code: codes[1] }).where('id', '=', t.otherPractice.id).execute();
  t.clock.set(NOW);
  return t;
}

/** The same four practices and people in one database. */
async function oneDatabase(people: Person[][]) {
  const t = await board([0, 1], ['G1', 'G2'], people);
  t.clock.set('2027-02-01T09:00:00Z');
  for (const [k, code] of [
    [2, 'L1'],
    [3, 'L2'],
  ] as const) {
    const p = await createPractice(t.db, t.clock, `Practice ${code}`, 'Europe/London', code);
    const admin = await t.addUser(p.id, 'admin', `admin-${code}@practice.test`);
    await practiceWith(t, p.id, admin.token, people[k]!, k + 1);
  }
  t.clock.set(NOW);
  return t;
}

async function twoBoards(people: Person[][]) {
  const lothian = await board([2, 3], ['L1', 'L2'], people);
  const glasgow = await board([0, 1], ['G1', 'G2'], people, { boards: [{ name: 'Lothian', db: lothian.db }] }, 'Glasgow');
  return { glasgow, lothian };
}

const withoutBoard = <T extends { board?: string }>(rows: T[]) => rows.map(({ board: _, ...rest }) => rest);

describe("a programme's reports across health boards' databases", () => {
  it('read every board and give the figures one database holding all their practices gives', async () => {
    const people = [0, 1, 2, 3].map(peopleOf);
    const { glasgow, lothian } = await twoBoards(people);
    const one = await oneDatabase(people);
    const token = await asProgrammeAdmin(glasgow);
    const oneToken = await asProgrammeAdmin(one);
    for (const path of ['impact', 'attendance']) {
      const across = (await glasgow.request('GET', `/api/v1/programme/reports/${path}?${PERIOD}`, { token })).body;
      const single = (await one.request('GET', `/api/v1/programme/reports/${path}?${PERIOD}`, { token: oneToken })).body;
      expect(across.practices.map((r: { board: string; practiceCode: string }) => [r.board, r.practiceCode])).toEqual([
        ['Glasgow', 'G1'],
        ['Glasgow', 'G2'],
        ['Lothian', 'L1'],
        ['Lothian', 'L2'],
      ]);
      if (path === 'attendance') for (const r of single.practices) delete r.practiceName;
      if (path === 'attendance') for (const r of across.practices) delete r.practiceName;
      expect(withoutBoard(across.practices)).toEqual(single.practices);
      if (path === 'impact') {
        expect(across.programme).toEqual(single.programme);
        expect(across.programme.byDose.some((b: { people: unknown }) => typeof b.people === 'number' && b.people > 5)).toBe(true);
        expect(across.method.join(' ')).toMatch(/Across boards/);
      }
    }
    const monitoring = (await glasgow.request('GET', '/api/v1/programme/reports/monitoring', { token })).body.items;
    expect(withoutBoard(monitoring)).toEqual((await one.request('GET', '/api/v1/programme/reports/monitoring', { token: oneToken })).body.items);
    // The figures worked out for Lothian are kept in Lothian's database, where its own server keeps them up to date.
    expect((await lothian.db.selectFrom('kept_figures').select('practice_id').execute()).length).toBe(2);
    expect((await glasgow.db.selectFrom('kept_figures').select('practice_id').execute()).length).toBe(2);
  });

  it('ask one board by name; practice ids are a board database’s own, so they need one', async () => {
    const people = [0, 1, 2, 3].map(peopleOf);
    const { glasgow } = await twoBoards(people);
    const token = await asProgrammeAdmin(glasgow);
    const ask = (q: string) => glasgow.request('GET', `/api/v1/programme/reports/attendance?${PERIOD}&${q}`, { token });
    const lothian = await ask('boards=lothian');
    expect(lothian.body.practices.map((r: { board: string; practiceCode: string }) => `${r.board} ${r.practiceCode}`)).toEqual(['Lothian L1', 'Lothian L2']);
    expect((await ask('boards=Lothian,lothian')).body.practices).toEqual(lothian.body.practices);
    const one = await ask('boards=Lothian&practiceIds=2');
    expect(one.body.practices.map((r: { practiceCode: string }) => r.practiceCode)).toEqual(['L2']);
    const both = await ask('practiceIds=2');
    expect(both.status).toBe(422);
    expect(both.body.error.message).toMatch(/boards=.*Glasgow, Lothian/);
    const nowhere = await ask('boards=Nowhere');
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.error.message).toMatch(/no board called "Nowhere".*Glasgow, Lothian/);
  });

  it('answer 503 naming a board whose database cannot answer, and write nothing', async () => {
    const people = [0, 1, 2, 3].map(peopleOf);
    const { glasgow, lothian } = await twoBoards(people);
    const token = await asProgrammeAdmin(glasgow);
    // As a board still on an older release would be: a column this release reads is not there.
    lothian.sqlite.exec('ALTER TABLE practices RENAME COLUMN figures_version TO figures_version_before');
    const audited = async () => (await glasgow.db.selectFrom('audit_events').select('id').where('entity', 'like', 'programme%').execute()).length;
    const before = await audited();
    for (const path of ['impact', 'attendance', 'monitoring']) {
      const res = await glasgow.request('GET', `/api/v1/programme/reports/${path}?${PERIOD}`, { token });
      expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 503, code: 'board_unavailable' });
      expect(res.body.error.message).toMatch(/Lothian/);
    }
    expect(await audited()).toBe(before);
    expect((await glasgow.request('GET', `/api/v1/programme/reports/impact?${PERIOD}&boards=Glasgow`, { token })).status).toBe(200);
  });

  it('this deployment alone: rows name no board, as before', async () => {
    const t = await board([0, 1], ['G1', 'G2'], [0, 1].map(peopleOf));
    const token = await asProgrammeAdmin(t);
    const res = await t.request('GET', `/api/v1/programme/reports/impact?${PERIOD}`, { token });
    expect(res.body.practices.map((r: object) => 'board' in r)).toEqual([false, false]);
    const asked = await t.request('GET', `/api/v1/programme/reports/impact?${PERIOD}&boards=Lothian`, { token });
    expect(asked.status).toBe(422);
    expect(asked.body.error.message).toMatch(/reads only its own database/);
  });
});

describe('BOARD_DATABASES on Node', () => {
  const raw = (dir: string, spec: string) => ({ DATABASE_PATH: join(dir, 'home.db'), BOARD_DATABASES: spec, BOARD_NAME: 'Glasgow' });

  it("opens each board's own file as it is, and refuses one missing, behind this release, or named twice", async () => {
    const dir = testDir('clg-boards-');
    const { sqlite } = await freshDb();
    writeFileSync(join(dir, 'lothian.db'), sqlite.serialize());
    const behind = kyselyFor(openSqlite(join(dir, 'tayside.db')));
    const files = Object.entries(readMigrationFiles());
    await migrate(behind, Object.fromEntries(files.slice(0, -1)));
    await behind.destroy();

    const boards = await openBoardDatabases(raw(dir, `Lothian=${join(dir, 'lothian.db')}`));
    expect(boards.map((b) => b.name)).toEqual(['Lothian']);
    expect(await boards[0]!.db.selectFrom('practices').select('id').execute()).toEqual([]);
    await boards[0]!.db.destroy();

    const refused = async (spec: string) =>
      (await openBoardDatabases(raw(dir, spec)).then(
        () => null,
        (e: Error) => e,
      )) as Error;
    const missing = await refused(`Lothian=${join(dir, 'lothian.db')},Fife=${join(dir, 'fife.db')}`);
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toMatch(/no database for Fife/);
    expect((await refused(`Tayside=${join(dir, 'tayside.db')}`)).message).toMatch(new RegExp(`Tayside.*behind this release \\(${files.at(-1)![0]}\\)`));
    expect((await refused(`Glasgow=${join(dir, 'lothian.db')}`)).message).toMatch(/names the board "Glasgow" twice/);
    expect((await refused(`Home=${join(dir, 'home.db')}`)).message).toMatch(/this server's own database/);
  });
});
