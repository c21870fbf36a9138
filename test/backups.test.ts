import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupNow } from '../src/backups/backup-schedule.js';
import { recordRestore } from '../src/backups/restore-settlement.js';
import { listBackups, takeBackup } from '../src/backups/take-backup.js';
import { kyselyFor, migrate, openSqlite, readMigrationFiles } from '../src/db/sqlite.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { startServer } from '../src/node/start-server.js';
import { parseEnv } from '../src/config.js';
import { LocalTransport } from '../src/sms/twilio/local-transport.js';
import { pagesAs } from './helpers/pages.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';
import { runScript, spawnServer, tempDbPath } from './helpers/spawn-server.js';
import { TwilioDouble } from './helpers/twilio-double.js';
import { testDir } from './helpers/test-dir.js';

const tempDir = () => testDir('clg-backups-');
const rows = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

describe('backups', () => {
  it('a backup taken while the server writes holds every row committed before it, consistent to one moment; a copied file does not', async () => {
    const path = tempDbPath();
    const db = kyselyFor(openSqlite(path));
    await migrate(db);
    const now = Date.now();
    await db.insertInto('practices').values({ name: 'P', created_at: now }).execute();
    // Writes keep coming while the backup runs: they stay in the write-ahead log, not yet in app.db.
    let writing = true;
    let committed = 0;
    const writer = (async () => {
      while (writing) {
        await db
          .insertInto('venues')
          .values({ practice_id: 1, name: `Venue ${committed + 1}`, created_at: now, updated_at: now })
          .execute();
        committed++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    while (committed < 200) await new Promise((r) => setTimeout(r, 5));
    const before = committed;
    const copied = join(tempDir(), 'copied.db');
    copyFileSync(path, copied);
    const { file } = await takeBackup(path, tempDir(), Date.now());
    writing = false;
    await writer;
    const inBackup = rows(file, 'SELECT id FROM venues ORDER BY id').map((r) => r.id as number);
    expect(inBackup.length).toBeGreaterThanOrEqual(before);
    expect(inBackup.length).toBeLessThanOrEqual(committed);
    // One moment's snapshot: no gaps.
    expect(inBackup).toEqual(inBackup.map((_, i) => i + 1));
    expect(rows(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(rows(file, 'SELECT taken_at FROM backup_taken')).toHaveLength(1);
    // A single file: nothing in a WAL beside it.
    expect(existsSync(`${file}-wal`)).toBe(false);
    // The finding: a plain copy of app.db passes its check but lacks what was still in the WAL.
    expect(rows(copied, 'SELECT count(*) AS n FROM venues')[0]!.n).toBeLessThan(before);
    await db.destroy();
  });

  it('keeps the newest BACKUP_KEEP; a failed backup is recorded, shown to admins, and changes nothing else', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const path = tempDbPath();
    const db = kyselyFor(openSqlite(path));
    await migrate(db);
    const dir = tempDir();
    for (let i = 0; i < 4; i++) expect(await backupNow(db, path, { dir, keep: 2 }, Date.parse('2027-03-01T09:00:00Z') + i * 3_600_000)).not.toBeNull();
    expect(listBackups(dir).map((f) => basename(f))).toEqual(['clg-backup-2027-03-01T12-00-00-000Z.db', 'clg-backup-2027-03-01T11-00-00-000Z.db']);
    // A folder that cannot be written: logged, recorded, never thrown.
    const blocked = join(tempDir(), 'not-a-folder');
    writeFileSync(blocked, 'a file where the folder should be');
    expect(await backupNow(t.db, path, { dir: blocked, keep: 2 }, t.clock.now().getTime())).toBeNull();
    const admin = await pagesAs(t, t.admin.token);
    const page = await admin.get('/today');
    expect(page.html).toMatch(/The last backup, .* failed: /);
    // A CLP does not see the operations banner.
    expect((await (await pagesAs(t, t.clp.token)).get('/today')).html).not.toContain('The last backup');
    await db.destroy();
  });

  it('npm start with BACKUP_DIR takes a backup before applying new migrations to an existing database', async () => {
    const path = tempDbPath();
    const files = readMigrationFiles();
    const older = Object.fromEntries(Object.entries(files).slice(0, -1));
    const old = kyselyFor(openSqlite(path));
    await migrate(old, older);
    await old.insertInto('practices').values({ name: 'Before the upgrade', created_at: Date.now() }).execute();
    await old.destroy();
    const dir = tempDir();
    const running = await startServer(
      parseEnv({ DATABASE_PATH: path, PORT: '0', BACKUP_DIR: dir, REMINDER_INTERVAL_SECONDS: '3600' }),
      new ManualClock(new Date()),
    );
    try {
      const [file] = listBackups(dir);
      expect(file).toBeDefined();
      const applied = rows(file!, 'SELECT name FROM kysely_migration ORDER BY name').map((r) => r.name);
      expect(applied).toEqual(Object.keys(older));
      expect(rows(file!, 'SELECT name FROM practices')).toEqual([{ name: 'Before the upgrade' }]);
      expect(await running.db.selectFrom('backup_runs').select(['ok', 'file']).execute()).toEqual([{ ok: 1, file }]);
    } finally {
      await running.stop();
    }
  });
});

describe('restores', () => {
  it('without Twilio credentials, texts that may have gone before the restore are held, not sent, and say why', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await recordRestore(t.db, t.clock.now().getTime(), t.clock.now().getTime() - 3_600_000, 'test');
    const r = await pass(t, new LocalTransport(() => t.clock.now().getTime()));
    expect(r.sent).toBe(0);
    const welcomes = await outbox(t, 'welcome');
    expect(welcomes.map((m) => [m.status, m.status_reason])).toEqual([
      ['skipped', 'restored_unverifiable'],
      ['skipped', 'restored_unverifiable'],
    ]);
    // Everyone was signed out by the restore.
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(401);
    const restore = await t.db.selectFrom('restores').selectAll().executeTakeFirstOrThrow();
    expect([restore.held, restore.settled_at !== null]).toEqual([2, true]);
  });

  describe('through npm run backup, npm run restore and the server', () => {
    const double = new TwilioDouble();
    beforeAll(() => double.start());
    afterAll(() => double.stop());

    /** A server with Twilio (the double) and a practice where six people have just been given a place on a walk: six welcomes queued. */
    async function sixWelcomesQueued() {
      const path = tempDbPath();
      // Quiet hours would hold texts back if this runs at night: the practice keeps a zone where it is daytime now.
      const hourIn = (zone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
      const zone = Array.from({ length: 24 }, (_, i) => `Etc/GMT${i - 11 >= 0 ? '+' : ''}${i - 11}`).find((z) => hourIn(z) >= 9 && hourIn(z) < 19)!;
      const env = {
        DATABASE_PATH: path,
        ADMIN_EMAIL: 'manager@possil.test',
        ADMIN_PASSWORD: 'a long admin password',
        ...double.env,
        PUBLIC_BASE_URL: 'https://groups.example.org',
        // Only the pass at start: the test runs the others itself.
        REMINDER_INTERVAL_SECONDS: '3600',
      };
      const s = { server: await spawnServer('src/entry/node.ts', env) };
      const api = async (method: string, p: string, token: string | null, body?: unknown) => {
        const res = await fetch(`${s.server.baseUrl}/api/v1${p}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json().catch(() => null)) as any };
      };
      const login = async () => (await api('POST', '/auth/login', null, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD })).body.token as string;
      const direct = new Database(path);
      direct.prepare('UPDATE practices SET timezone = ?').run(zone);
      direct.close();
      const token = await login();
      const venue = await api('POST', '/venues', token, { name: 'Knightswood Park' });
      const start = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      const group = await api('POST', '/groups', token, {
        name: 'Walk',
        kind: 'health_walk',
        venueId: venue.body.id,
        capacity: 20,
        schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: start },
      });
      expect(group.status).toBe(201);
      for (let i = 1; i <= 6; i++) {
        const p = await api('POST', '/participants', token, { givenName: `Person${i}`, phone: `07700 900${String(i).padStart(3, '0')}`, smsConsent: true });
        expect((await api('POST', `/groups/${group.body.id}/enrolments`, token, { participantId: p.body.id })).status).toBe(201);
      }
      return { s, env, path, api, login, token };
    }

    /** The restore is settled: the texts Twilio had were not sent again, and every person has exactly one welcome. */
    async function expectSettledOnce(api: (m: string, p: string, t: string | null) => Promise<{ body: any }>, admin: string) {
      let restores: any;
      for (let i = 0; i < 100; i++) {
        restores = (await api('GET', '/restores', admin)).body.items;
        if (restores[0]?.settled) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(restores[0]).toMatchObject({ settled: true, foundSent: 5, sentAfterCheck: 1, held: 0 });
      expect(double.accepted).toHaveLength(6);
      expect(new Set(double.accepted.map((m) => m.to)).size).toBe(6);
      return restores[0];
    }

    it('a restore followed by a start sends none of the texts Twilio already has, sends the one it never got, and ends every session', async () => {
      double.accepted.length = 0;
      const backupDir = tempDir();
      const { s, env, path, api, login, token } = await sixWelcomesQueued();
      try {
        const backup = await runScript('src/cli/backup.ts', env, ['--to', backupDir]);
        expect(backup.code, backup.output).toBe(0);
        const [file] = listBackups(backupDir);
        // After the backup the welcomes go; Twilio refuses one for now (it stays queued).
        double.next({ kind: 'error', status: 503, code: 20500 });
        const sending = await runScript('src/cli/reminders.ts', env, ['--once']);
        expect(sending.code, sending.output).toBe(0);
        expect(double.accepted).toHaveLength(5);
        // A restore refuses to replace a database in use.
        const refused = await runScript('src/cli/restore.ts', env, ['--from', file!]);
        expect(refused.code).toBe(1);
        expect(refused.output).toMatch(/stop it first/);
        await s.server.stop();
        const restored = await runScript('src/cli/restore.ts', env, ['--from', file!]);
        expect(restored.code, restored.output).toBe(0);
        expect(restored.output).toContain('Restored');
        expect(readdirSync(join(path, '..')).some((f) => f.includes('before-restore'))).toBe(true);

        s.server = await spawnServer('src/entry/node.ts', env);
        // Every sign-in made before the restore has ended.
        expect((await api('GET', '/groups', token)).status).toBe(401);
        const admin = await login();
        await expectSettledOnce(api, admin);
        const page = await fetch(`${s.server.baseUrl}/today`, { headers: { cookie: `clg_session=${admin}` } });
        expect(await page.text()).toMatch(/This server was restored on .* from a backup taken /);
      } finally {
        await s.server.stop();
      }
    }, 120_000);

    it('a database file copied back by other means (sqlite3 .backup, a disk snapshot) is found at start-up and settled the same way: no text twice, every sign-in ended', async () => {
      double.accepted.length = 0;
      const { s, env, path, api, login, token } = await sixWelcomesQueued();
      const snapshot = join(tempDir(), 'snapshot.db');
      try {
        // The host's snapshot, taken while the server runs, with SQLite's own online backup.
        const live = new Database(path, { readonly: true });
        await live.backup(snapshot);
        live.close();
        // Later that day the welcomes go (Twilio's clock an hour on); Twilio refuses one for now.
        double.now = () => new Date(Date.now() + 3_600_000);
        double.next({ kind: 'error', status: 503, code: 20500 });
        const sending = await runScript('src/cli/reminders.ts', env, ['--once']);
        expect(sending.code, sending.output).toBe(0);
        expect(double.accepted).toHaveLength(5);
        await s.server.stop();
        for (const suffix of ['-wal', '-shm']) rmSync(path + suffix, { force: true });
        copyFileSync(snapshot, path);

        s.server = await spawnServer('src/entry/node.ts', env);
        const admin = await login();
        const restore = await expectSettledOnce(api, admin);
        expect(restore.backupTakenAt < restore.restoredAt).toBe(true);
        expect((await api('GET', '/groups', token)).status).toBe(401);
        expect(s.server.output()).toMatch(/This database is behind: Twilio has 5 text/);
      } finally {
        double.now = () => new Date();
        await s.server.stop();
      }
    }, 120_000);
  });
});
