import { afterEach, describe, expect, it } from 'vitest';
import { operationsNotice } from '../src/backups/operations-notice.js';
import { recordRestore } from '../src/backups/restore-settlement.js';
import { checkOutboxIsCurrent, outboxCheckedBeforeSending } from '../src/backups/restore-detection.js';
import { groupWithPeople, outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';
import { twilioOnClock, type TwilioDouble } from './helpers/twilio-double.js';

let double: TwilioDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

async function withTwilio(t: TestApp) {
  const made = await twilioOnClock(t.clock);
  double = made.d;
  return made;
}

/** Puts the outbox back as a backup taken before these texts went would hold it: all of them still to send. */
async function asIfRestored(t: TestApp, backupTakenAt: number) {
  await t.db
    .updateTable('messages')
    .set({ status: 'pending', provider_sid: null, sent_at: null, send_started_at: null })
    .where('direction', '=', 'outbound')
    .execute();
  await recordRestore(t.db, t.clock.now().getTime(), backupTakenAt, 'test');
}

describe("settling a restore when Twilio's log does not answer", () => {
  it('a failed look-up never counts as not sent: the texts wait with back-off, the admin is told, and each goes once when the log answers', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { d, sms } = await withTwilio(t);
    const before = t.clock.now().getTime() - 3_600_000;
    await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }, { givenName: 'Chloe' }]);
    expect((await pass(t, sms)).sent).toBe(3);
    // A fourth welcome was queued but had not gone when the database was put back.
    const fourth = await t.request('POST', '/api/v1/participants', {
      token: t.clp.token,
      body: { givenName: 'Dara', phone: '07700 900004', smsConsent: true },
    });
    const groupId = (await t.db.selectFrom('community_groups').select('id').executeTakeFirstOrThrow()).id;
    await t.request('POST', `/api/v1/groups/${groupId}/enrolments`, { token: t.clp.token, body: { participantId: fourth.body.id } });
    await asIfRestored(t, before);

    d.listFailsWith = 500;
    for (let minute = 0; minute < 20; minute++) {
      await pass(t, sms);
      t.clock.advance(60_000);
    }
    // Twenty minutes of a failing log: nothing sent again, the restore still open, and asked less often each time.
    expect(d.accepted).toHaveLength(3);
    const restore = await t.db.selectFrom('restores').selectAll().executeTakeFirstOrThrow();
    expect(restore.settled_at).toBeNull();
    expect(restore.lookup_error).toMatch(/500/);
    expect(d.listRequests).toBeLessThanOrEqual(6 * 4);
    const notice = await operationsNotice(t.db, t.practice.id);
    expect(notice?.restore).toMatchObject({ settled: false, waitingForLog: 4, foundSent: 0 });
    expect(notice?.restore?.lookupError).toMatch(/500/);
    const admin = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token;
    const listed = await t.request('GET', '/api/v1/restores', { token: admin });
    expect(listed.body.items[0]).toMatchObject({ settled: false, waitingForLog: 4 });
    const page = await t.app.request('/today', { headers: { cookie: `clg_session=${admin}` } });
    expect(await page.text()).toMatch(/4 texts are held: Twilio&#39;s message log has not answered/);

    d.listFailsWith = null;
    for (let minute = 0; minute < 20; minute++) {
      await pass(t, sms);
      t.clock.advance(60_000);
    }
    const settled = await t.db.selectFrom('restores').selectAll().executeTakeFirstOrThrow();
    expect(settled).toMatchObject({ found_sent: 3, sent_after_check: 1, held: 0, lookup_failures: 0 });
    expect(settled.settled_at).not.toBeNull();
    // Four people, four welcomes: none twice.
    expect(d.accepted.map((m) => m.to).sort()).toEqual(['+447700900001', '+447700900002', '+447700900003', '+447700900004']);
    expect((await outbox(t, 'welcome')).map((m) => m.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });
});

describe('finding a database put back by other means than npm run restore', () => {
  it('one of our backup files copied into place is found without asking Twilio, and signs everyone out', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const takenAt = t.clock.now().getTime() - 86_400_000;
    await t.db.insertInto('backup_taken').values({ taken_at: takenAt }).execute();
    const r = await checkOutboxIsCurrent(t.db, t.sms, t.clock.now().getTime());
    expect(r).toMatchObject({ kind: 'behind', since: takenAt });
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(401);
    expect(await t.db.selectFrom('backup_taken').selectAll().execute()).toEqual([]);
  });

  it("a database that knows every text Twilio has is current; while Twilio's log cannot be read nothing is sent", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { d, sms } = await withTwilio(t);
    await groupWithPeople(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }]);
    await pass(t, sms);
    t.clock.advance(3_600_000);
    expect(await checkOutboxIsCurrent(t.db, sms, t.clock.now().getTime())).toEqual({ kind: 'current' });
    d.listFailsWith = 503;
    const said: string[] = [];
    expect(await outboxCheckedBeforeSending(t.db, sms, t.clock.now().getTime(), (l) => said.push(l))).toBe(false);
    expect(said[0]).toMatch(/Texts held: Twilio's message log could not be read/);
    expect(await t.db.selectFrom('restores').selectAll().execute()).toEqual([]);
  });
});

describe('recording a restore by hand', () => {
  it('on Node, where nothing was put back, asks first with what it would do, and changes nothing; confirmed, it records one', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Amira' }]);
    await pass(t);
    await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
    const restoredTo = new Date(t.clock.now().getTime() - 3_600_000).toISOString();
    const asked = await t.request('POST', '/api/v1/restores', { token: t.admin.token, body: { restoredTo } });
    expect(asked.status).toBe(409);
    expect(asked.body.error.message).toMatch(/npm run restore records a restore/);
    expect(asked.body.error.details).toMatchObject({ wouldSignOut: 4 });
    // Nobody was signed out and nothing was recorded.
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(200);
    expect(await t.db.selectFrom('restores').selectAll().execute()).toEqual([]);
    const confirmed = await t.request('POST', '/api/v1/restores', { token: t.admin.token, body: { restoredTo, confirm: true } });
    expect(confirmed.status).toBe(201);
    expect((await t.request('GET', '/api/v1/groups', { token: t.clp.token })).status).toBe(401);
  });
});
