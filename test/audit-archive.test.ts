import { readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gunzip, type ArchiveStore } from '../src/audit/archive-store.js';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { directoryArchive } from '../src/node/directory-archive.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';
import { testDir } from './helpers/test-dir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function archiveDir(): string {
  const d = testDir('clg-archive-');
  dirs.push(d);
  return d;
}

const signIn = async (t: TestApp, email: string) =>
  (await t.request('POST', '/api/v1/auth/login', { body: { email, password: TEST_PASSWORD } })).body.token as string;

interface Event {
  id: number;
  action: string;
  entity: string;
  participantId: number | null;
  archived: boolean;
}

/** Every page of the audit log, `limit` at a time, following `before` as an admin would. */
async function allPages(t: TestApp, token: string, query: string, limit: number): Promise<Event[]> {
  const out: Event[] = [];
  for (let before = ''; ;) {
    const res = await t.request('GET', `/api/v1/audit-events?limit=${limit}${query}${before}`, { token });
    expect(res.status, res.text).toBe(200);
    out.push(...res.body.items);
    if (res.body.items.length < limit) return out;
    before = `&before=${res.body.items[res.body.items.length - 1].id}`;
  }
}

/** A practice two years on: Amira and Brian were added, listed and read in March 2027; a concern about Amira was read then too. */
async function twoYearsOn(store?: ArchiveStore) {
  const t = await makeTestApp('2027-03-01T09:00:00Z', {}, { auditArchive: store });
  const { ids } = await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
  const [amira, brian] = ids as [number, number];
  await t.request('GET', '/api/v1/participants', { token: t.clp.token });
  await t.request('GET', `/api/v1/participants/${amira}`, { token: t.clp.token });
  const concern = await t.request('POST', '/api/v1/concerns', {
    token: t.clp.token,
    body: { participantId: amira, kind: 'wellbeing', urgency: 'this_week', text: 'Seemed very low today' },
  });
  expect(concern.status, concern.text).toBe(201);
  await t.request('GET', `/api/v1/concerns/${concern.body.id}`, { token: t.clp.token });
  const oldTrail = await allPages(t, t.admin.token, `&participantId=${amira}`, 500);
  t.clock.set('2029-03-20T09:00:00Z'); // 24 months and more: past the default audit retention
  t.admin.token = await signIn(t, 'admin@possil.test');
  t.clp.token = await signIn(t, 'clp@possil.test');
  t.otherAdmin.token = await signIn(t, 'admin@govan.test');
  await t.request('GET', `/api/v1/participants/${brian}`, { token: t.clp.token }); // a read of today
  return { t, amira, brian, concernId: concern.body.id as number, oldTrail };
}

describe('audit events older than the audit retention move to the archive', () => {
  it("leave the database for compressed objects, and the audit log and a person's trail read on into them, page by page", async () => {
    const dir = archiveDir();
    const { t, amira, brian, oldTrail } = await twoYearsOn(directoryArchive(dir));
    const liveBefore = await t.db.selectFrom('audit_events').select('id').where('practice_id', '=', t.practice.id).execute();
    await pass(t);

    const cutoff = Date.parse('2027-03-20T09:00:00Z');
    const left = await t.db.selectFrom('audit_events').select(['entity', 'at']).where('practice_id', '=', t.practice.id).where('at', '<', cutoff).execute();
    expect(left.every((e) => e.entity === 'concern')).toBe(true); // a concern's reads stay with it
    expect(left.length).toBeGreaterThan(0);
    const archives = await t.db.selectFrom('audit_archives').selectAll().execute();
    expect(archives).toHaveLength(1);
    expect(archives[0]!.events).toBe(
      liveBefore.length - (await t.db.selectFrom('audit_events').select('id').where('practice_id', '=', t.practice.id).execute()).length,
    );
    const file = join(dir, archives[0]!.key);
    const object = JSON.parse(new TextDecoder().decode(await gunzip(new Uint8Array(await readFile(file)))));
    expect(object.events).toHaveLength(archives[0]!.events);
    expect(readdirSync(join(dir, 'audit', `practice-${t.practice.id}`)).filter((f) => f.startsWith('.'))).toEqual([]); // no part-written file

    // Amira's trail is what it was, now marked archived; today's read of Brian is not in it.
    const trail = await allPages(t, t.admin.token, `&participantId=${amira}`, 500);
    expect(trail.map((e) => e.id)).toEqual(oldTrail.map((e: Event) => e.id));
    expect(trail.filter((e) => e.entity !== 'concern').every((e) => e.archived)).toBe(true);
    expect(trail.some((e) => e.action === 'list' && e.entity === 'participant')).toBe(true); // found through the list's shown set
    // Two at a time, the same log as all at once: paging goes from the database into the archive.
    const whole = await allPages(t, t.admin.token, '', 500);
    expect(whole[0]).toMatchObject({ participantId: brian, archived: false });
    expect((await allPages(t, t.admin.token, '', 2)).map((e) => e.id)).toEqual(whole.map((e) => e.id));
    expect(whole.map((e) => e.id)).toEqual([...whole.map((e) => e.id)].sort((a, b) => b - a));
    // The other practice's admin sees none of it.
    const other = await allPages(t, t.otherAdmin.token, '', 500);
    expect(other.filter((e) => e.archived)).toEqual([]);

    // A subject-access copy holds her archived access log.
    const exported = await t.request('GET', `/api/v1/participants/${amira}/export`, { token: t.admin.token });
    expect(exported.status, exported.text).toBe(200);
    const named = oldTrail.filter((e: Event) => e.participantId === amira).reverse();
    const log = exported.body.accessLog.map((a: { action: string }) => a.action);
    expect(log.slice(0, named.length)).toEqual(named.map((e: Event) => e.action));
    expect(log).toContain('read');
  });

  it('an object stored but never listed (a pass cut short) is written again under the same key, and nothing is listed twice', async () => {
    const dir = archiveDir();
    const real = directoryArchive(dir);
    const cut: ArchiveStore = {
      put: async (key, body) => {
        await real.put(key, body);
        throw new Error('the process stopped here');
      },
      get: real.get,
    };
    const { t, amira, oldTrail } = await twoYearsOn(cut);
    const before = (await t.db.selectFrom('audit_events').select('id').execute()).length;
    const r = await pass(t);
    expect(r.planned + r.sent).toBeGreaterThanOrEqual(0); // the pass itself went on
    expect((await t.db.selectFrom('audit_events').select('id').execute()).length).toBe(before);
    expect(await t.db.selectFrom('audit_archives').selectAll().execute()).toEqual([]);
    const stray = readdirSync(join(dir, 'audit', `practice-${t.practice.id}`));
    expect(stray).toHaveLength(1);

    await pass({ ...t, auditArchive: real });
    expect(readdirSync(join(dir, 'audit', `practice-${t.practice.id}`))).toEqual(stray);
    const archives = await t.db.selectFrom('audit_archives').select('key').execute();
    expect(archives.map((a) => a.key.split('/').pop())).toEqual(stray);
    const trail = await allPages(t, t.admin.token, `&participantId=${amira}`, 500);
    expect(trail.map((e) => e.id)).toEqual(oldTrail.map((e: Event) => e.id));
  });

  it('an archive that cannot be written leaves the events where they are and the texts still go', async () => {
    const broken: ArchiveStore = {
      put: async () => {
        throw new Error('bucket unavailable');
      },
      get: async () => null,
    };
    const { t } = await twoYearsOn(broken);
    const before = (await t.db.selectFrom('audit_events').select('id').where('at', '<', Date.parse('2027-04-01')).execute()).length;
    // This spring's walk: Chloe's welcome is due now.
    await groupWithPeople(t, [{ givenName: 'Chloe' }], {
      schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2029-03-27' },
    });
    const r = await pass(t);
    expect(r.sent).toBeGreaterThan(0);
    expect((await outbox(t, 'welcome')).filter((m) => m.body.includes('Chloe')).map((m) => m.status)).toEqual(['sent']);
    expect((await t.db.selectFrom('audit_events').select('id').where('at', '<', Date.parse('2027-04-01')).execute()).length).toBe(before);
  });

  it('a log that needs an archive this server cannot read answers 503 saying so; a page the database fills still answers', async () => {
    const dir = archiveDir();
    const { t, amira } = await twoYearsOn(directoryArchive(dir));
    await pass(t);
    rmSync(join(dir, 'audit'), { recursive: true });
    const recent = await t.request('GET', '/api/v1/audit-events?limit=1', { token: t.admin.token });
    expect(recent.status).toBe(200);
    const missing = await t.request('GET', `/api/v1/audit-events?participantId=${amira}`, { token: t.admin.token });
    expect(missing.status).toBe(503);
    expect(missing.body.error).toMatchObject({ code: 'archive_unavailable' });
    expect(missing.body.error.message).toMatch(/missing from the archive/);
    const exported = await t.request('GET', `/api/v1/participants/${amira}/export`, { token: t.admin.token });
    expect(exported.status).toBe(503);

    // The same database served without the archive connected.
    const { createApp } = await import('../src/app.js');
    const bare = createApp({ db: t.db, clock: t.clock, config: { ...(await import('./helpers/test-app.js')).testConfig }, templates: t.templates });
    const res = await bare.request(`/api/v1/audit-events?participantId=${amira}`, { headers: { authorization: `Bearer ${t.admin.token}` } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/AUDIT_ARCHIVE_DIR/);
  });

  it("follows the practice's own audit retention, checked like its other settings", async () => {
    const dir = archiveDir();
    const { t } = await twoYearsOn(directoryArchive(dir));
    const refused = await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { retentionAuditMonths: 5 } });
    expect(refused.status).toBe(400);
    const kept = await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { retentionAuditMonths: 36 } });
    expect(kept.body).toMatchObject({ retentionAuditMonths: 36 });
    await pass(t);
    expect(await t.db.selectFrom('audit_archives').selectAll().execute()).toEqual([]);
    await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { retentionAuditMonths: 24 } });
    // Under Workers Free's 50 queries a pass, as D1 counts them: the first pass plans the year, a later one archives.
    for (let i = 0; i < 3; i++) await withQueryBudget(new QueryBudget(50), () => pass(t));
    expect(await t.db.selectFrom('audit_archives').selectAll().execute()).toHaveLength(1);
  });
});
