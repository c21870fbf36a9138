import Database from 'better-sqlite3';
import { createApp } from '../../src/app.js';
import type { AppConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/app-env.js';
import type { Db } from '../../src/db/schema.js';
import { kyselyFor, migrate } from '../../src/db/sqlite.js';
import { ManualClock } from '../../src/lib/time/clock.js';
import { LocalTransport } from '../../src/sms/twilio/local-transport.js';
import { loadTemplates } from '../../src/sms/wording/node-templates.js';
import { createPractice, createUser } from '../../src/users/users-service.js';
import { openApiChecker } from './openapi-check.js';

let image: Buffer | undefined;
let checker: ReturnType<typeof openApiChecker> | undefined;

/** A fresh, migrated in-memory database: the schema is built once, then cloned per test. */
export async function freshDb(): Promise<{ db: Db; sqlite: Database.Database }> {
  if (!image) {
    const sqlite = new Database(':memory:');
    const db = kyselyFor(sqlite);
    await migrate(db);
    image = sqlite.serialize();
    await db.destroy();
  }
  const sqlite = new Database(image);
  sqlite.pragma('foreign_keys = ON');
  return { db: kyselyFor(sqlite), sqlite };
}

export const TEST_PASSWORD = 'correct horse battery';

export const testConfig: AppConfig = {
  publicBaseUrl: 'https://groups.example.org',
  passwordIterations: 1_000,
  refusalHoldMs: 0,
  horizonDays: 366,
  twilioAuthToken: 'test-auth-token',
  // Long enough that tests travelling months ahead stay signed in.
  sessionTtlHours: 24 * 380,
};

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

/**
 * An app on a fresh database at a chosen moment, with one practice and an admin, a CLP and a
 * staff member already signed in, plus a second practice to prove nothing leaks between them.
 */
export async function makeTestApp(now = '2027-03-01T09:00:00Z', configOverrides: Partial<AppConfig> = {}, deps: Pick<AppDeps, 'auditArchive' | 'boards'> = {}) {
  const { db, sqlite } = await freshDb();
  const clock = new ManualClock(now);
  const templates = loadTemplates();
  const sms = new LocalTransport(() => clock.now().getTime());
  const app = createApp({ db, clock, config: { ...testConfig, ...configOverrides }, templates, ...deps });

  async function request(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (path.startsWith('/api/v1/') && !path.startsWith('/api/v1/openapi.json')) {
      // Every answer the tests see is held to the served OpenAPI document.
      checker ??= openApiChecker(await (await app.request('/api/v1/openapi.json')).json());
      const problem = checker(method, path, res.status, res.headers.get('content-type'), text ? (json ?? text) : undefined);
      if (problem) throw new Error(`OpenAPI: ${problem}`);
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  async function addUser(practiceId: number, role: 'admin' | 'clp' | 'staff' | 'leader', email: string) {
    const user = await createUser(
      db,
      clock,
      practiceId,
      { email, name: `${role} ${email.split('@')[0]}`, role, password: TEST_PASSWORD },
      testConfig.passwordIterations,
    );
    const res = await request('POST', '/api/v1/auth/login', { body: { email, password: TEST_PASSWORD } });
    if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.text}`);
    return { id: user.id, token: res.body.token as string };
  }

  const practice = await createPractice(db, clock, 'Possilpark Health Centre');
  const otherPractice = await createPractice(db, clock, 'Govan Health Centre');
  const admin = await addUser(practice.id, 'admin', 'admin@possil.test');
  const clp = await addUser(practice.id, 'clp', 'clp@possil.test');
  const staff = await addUser(practice.id, 'staff', 'staff@possil.test');
  const otherAdmin = await addUser(otherPractice.id, 'admin', 'admin@govan.test');

  return { app, db, sqlite, clock, templates, sms, request, addUser, practice, otherPractice, admin, clp, staff, otherAdmin, auditArchive: deps.auditArchive };
}

/** A venue and a weekly Tuesday 10:00 group, the shape most tests start from. */
export async function seedGroup(t: TestApp, overrides: Record<string, unknown> = {}, token = t.clp.token) {
  const venue = await t.request('POST', '/api/v1/venues', {
    token,
    body: { name: 'Knightswood Park', meetingPoint: 'Front gate on Alderman Road', accessibility: 'Flat paths, benches every 200 m' },
  });
  if (venue.status !== 201) throw new Error(venue.text);
  const group = await t.request('POST', '/api/v1/groups', {
    token,
    body: {
      name: 'Tuesday Health Walk',
      kind: 'health_walk',
      venueId: venue.body.id,
      capacity: 12,
      schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' },
      ...overrides,
    },
  });
  if (group.status !== 201) throw new Error(group.text);
  return { venueId: venue.body.id as number, group: group.body };
}
