import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createApp } from '../src/app.js';
import { kyselyFor, migrate, openSqlite } from '../src/db/sqlite.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { createPractice, createUser } from '../src/users/users-service.js';
import { fetchJson } from './helpers/http.js';
import { runScript, spawnServer, tempDbPath, type SpawnedServer } from './helpers/spawn-server.js';
import { testConfig, TEST_PASSWORD } from './helpers/test-app.js';

let server: SpawnedServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const api = fetchJson;

/** `npm start` on a fresh file with its first admin, signed in: the database path, base URL and token. */
async function startWithAdmin(email: string) {
  const path = tempDbPath();
  server = await spawnServer('src/entry/node.ts', {
    DATABASE_PATH: path,
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: 'a long admin password',
    REMINDER_INTERVAL_SECONDS: '3600',
  });
  const token = (await api(server.baseUrl, 'POST', '/api/v1/auth/login', undefined, { email, password: 'a long admin password' })).body.token as string;
  return { path, base: server.baseUrl, token };
}

/** The app in this process on a fresh SQLite file, with one admin signed in: for faults we cause from outside. */
async function appOnFile(name: string) {
  const path = tempDbPath();
  const sqlite = openSqlite(path);
  const db = kyselyFor(sqlite);
  await migrate(db);
  const clock = new ManualClock('2027-03-01T09:00:00Z');
  const practice = await createPractice(db, clock, `${name} Practice`);
  const email = `admin@${name.toLowerCase()}.test`;
  await createUser(db, clock, practice.id, { email, name: 'Admin', role: 'admin', password: TEST_PASSWORD }, 1_000);
  const app = createApp({ db, clock, config: testConfig, templates: loadTemplates() });
  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res = await app.request(url, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const token = (await call('POST', '/api/v1/auth/login', undefined, { email, password: TEST_PASSWORD })).body.token as string;
  return { path, sqlite, db, practice, call, token };
}

/** Every byte of the database, its WAL and shared memory, as the disk holds them. */
function rawFiles(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`, `${path}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe('erasure leaves no copy on disk', () => {
  it('after erase, the name, number and text bodies are in no database file, before and after the server stops', async () => {
    const { path, base, token } = await startWithAdmin('admin@disk.test');
    const venue = await api(base, 'POST', '/api/v1/venues', token, { name: 'Hall' });
    const group = await api(base, 'POST', '/api/v1/groups', token, {
      name: 'Walk',
      kind: 'health_walk',
      venueId: venue.body.id,
      capacity: 5,
      schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2026-01-06' },
    });
    const person = await api(base, 'POST', '/api/v1/participants', token, {
      givenName: 'Zephaniah',
      familyName: 'Quillborough',
      phone: '07700 900468',
      smsConsent: true,
      accessNeeds: 'Uses a Xylophonic hearing loop',
    });
    expect(person.status).toBe(201);
    await api(base, 'POST', `/api/v1/groups/${group.body.id}/enrolments`, token, { participantId: person.body.id });
    const sessions = await api(base, 'GET', `/api/v1/groups/${group.body.id}/sessions`, token);
    await fetch(`${base}/api/v1/sessions/${sessions.body.items[0].id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({ body: 'Zephaniah bring the Xylophonic loop' }),
    });
    const secrets = ['Zephaniah', 'Quillborough', '+447700900468', '7700900468', 'Xylophonic'];
    expect(secrets.some((s) => rawFiles(path).includes(s))).toBe(true);
    expect((await api(base, 'POST', `/api/v1/participants/${person.body.id}/erase`, token)).status).toBe(200);
    for (const s of secrets) expect(rawFiles(path).includes(s), `${s} while running`).toBe(false);
    await server!.stop();
    server = undefined;
    for (const s of secrets) expect(rawFiles(path).includes(s), `${s} after stopping`).toBe(false);
  }, 60_000);
});

describe('a lock held by another process', () => {
  it('never freezes other requests; past the bound a write answers 503 with Retry-After, and nothing is lost', async () => {
    const { path, base, token } = await startWithAdmin('admin@lock.test');
    expect((await api(base, 'POST', '/api/v1/participants', token, { givenName: 'Amira', smsConsent: false })).status).toBe(201);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const write = api(base, 'POST', '/api/v1/venues', token, { name: 'Blocked hall' });
      const t0 = Date.now();
      const health = await fetch(`${base}/healthz`);
      const healthMs = Date.now() - t0;
      const read = await api(base, 'GET', '/api/v1/groups', token);
      // A read whose audit row cannot be written yet answers all the same, as on a full disk: the row is held.
      const people = await api(base, 'GET', '/api/v1/participants', token);
      expect(people.status).toBe(200);
      expect(people.body.items.map((p: { givenName: string }) => p.givenName)).toEqual(['Amira']);
      expect(health.status).toBe(200);
      expect(healthMs).toBeLessThan(500);
      expect(read.status).toBe(200);
      const res = await write;
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('storage_busy');
      expect(res.headers.get('retry-after')).toBe('2');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await api(base, 'GET', '/api/v1/venues', token)).body.items).toEqual([]);
    expect((await api(base, 'POST', '/api/v1/venues', token, { name: 'Now free' })).status).toBe(201);
    // The held row is written with the next read's own.
    expect((await api(base, 'GET', '/api/v1/participants', token)).status).toBe(200);
    const check = new Database(path, { readonly: true });
    const lists = check.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'list' AND entity = 'participant'").get() as { n: number };
    check.close();
    expect(lists.n).toBe(2);
  }, 60_000);

  it('a lock held briefly is waited for: writes that start by reading succeed while another process writes', async () => {
    const { path, db, practice, call, token } = await appOnFile('Lock');
    // Another process (here, another connection) writes every few milliseconds, holding the lock across turns of the event loop.
    const other = new Database(path);
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        other.exec('BEGIN IMMEDIATE');
        other.prepare('UPDATE practices SET name = ? WHERE id = ?').run(`Lock Practice ${i}`, practice.id);
        await new Promise((r) => setTimeout(r, 3));
        other.exec('COMMIT');
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => (await call('POST', '/api/v1/participants', token, { givenName: `P${i}`, smsConsent: false })).status),
    );
    stop = true;
    await writer;
    other.close();
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    await db.destroy();
  }, 60_000);
});

describe('a full disk', () => {
  it('answers 503 storage_unavailable with the real cause logged once, keeps reads working, and recovers when space returns', async () => {
    const { sqlite, db, call, token } = await appOnFile('Full');
    await call('POST', '/api/v1/participants', token, { givenName: 'Amira', smsConsent: false });
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    try {
      // The disk is full: the file may not grow by another page.
      sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`);
      const results = [];
      for (let i = 0; i < 30; i++)
        results.push(
          await call('POST', '/api/v1/participants', token, { givenName: `Person ${i} ${'x'.repeat(90)}`, accessNeeds: 'y'.repeat(900), smsConsent: false }),
        );
      const failed = results.filter((r) => r.status !== 201);
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed.map((r) => r.status))).toEqual(new Set([503]));
      expect(failed[0]!.body.error.code).toBe('storage_unavailable');
      const list = await call('GET', '/api/v1/participants', token);
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: { givenName: string }) => p.givenName)).toContain('Amira');
    } finally {
      console.error = original;
    }
    expect(logged.filter((l) => /SQLITE_FULL/.test(l))).toHaveLength(1);
    expect(logged.join('\n')).not.toMatch(/cannot rollback/);
    sqlite.pragma('max_page_count = 1073741823');
    expect((await call('POST', '/api/v1/participants', token, { givenName: 'Back again', smsConsent: false })).status).toBe(201);
    // The read made while the disk was full is in the audit trail now.
    const events = await db.selectFrom('audit_events').select(['action', 'entity']).where('action', '=', 'list').execute();
    expect(events.length).toBeGreaterThan(0);
    await db.destroy();
  });
});

describe('start-up on a path it cannot use', () => {
  it.each([
    ['a missing directory under a file', '/etc/hostname/data/app.db'],
    ['a directory nobody may write (sysfs)', '/sys/app.db'],
    ['a directory that cannot be created', '/sys/kernel/clg/app.db'],
  ])('%s: one line naming DATABASE_PATH, no stack trace', async (_, path) => {
    const r = await runScript('src/entry/node.ts', { DATABASE_PATH: path, PORT: '0', HOST: '127.0.0.1' }, [], 15_000);
    expect(r.code).toBe(1);
    expect(r.output.trim().split('\n')).toHaveLength(1);
    expect(r.output).toMatch(/DATABASE_PATH=/);
    expect(r.output).not.toMatch(/\n\s+at /);
  });
});
