import { describe, expect, it } from 'vitest';
import { threeOnTheWalk } from './helpers/register-setup.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';

/** The walk's three, and the clock at 10:05 on the morning of its first session. */
async function setup(t: TestApp) {
  const { group, ids, sessions } = await threeOnTheWalk(t);
  t.clock.set('2027-03-02T10:05:00Z');
  return { group, ids, url: `/api/v1/sessions/${sessions[0].id}/register`, sessionId: sessions[0].id as number };
}

const rows = (t: TestApp, sessionId: number) =>
  t.db
    .selectFrom('attendance')
    .select(['participant_id', 'status', 'recorded_at', 'drop_in'])
    .where('session_id', '=', sessionId)
    .orderBy('participant_id')
    .execute();

describe('registers saved late from a phone that had no signal', () => {
  it('a queued save replayed twice is applied once, and an older offline mark never overwrites a newer one', async () => {
    const t = await makeTestApp('2027-03-02T09:30:00Z');
    const { ids, url, sessionId } = await setup(t);
    // Marked offline at the gate at 10:05; meanwhile a colleague online marks Amira absent at 10:20.
    const queued = {
      entries: [
        { participantId: ids[0], status: 'present', recordedAt: '2027-03-02T10:05:00Z' },
        { participantId: ids[1], status: 'present', recordedAt: '2027-03-02T10:05:10Z' },
      ],
    };
    t.clock.set('2027-03-02T10:20:00Z');
    expect((await t.request('PUT', url, { token: t.admin.token, body: { entries: [{ participantId: ids[0], status: 'absent' }] } })).status).toBe(200);

    t.clock.set('2027-03-02T12:00:00Z'); // signal again
    const headers = { 'idempotency-key': 'register-offline-0001' };
    const first = await t.request('PUT', url, { token: t.clp.token, body: queued, headers });
    const again = await t.request('PUT', url, { token: t.clp.token, body: queued, headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.body.results).toEqual([
      { participantId: ids[0], outcome: 'newer_kept', reason: 'a later mark was already saved' },
      { participantId: ids[1], outcome: 'saved' },
    ]);
    expect(await rows(t, sessionId)).toEqual([
      { participant_id: ids[0], status: 'absent', recorded_at: Date.parse('2027-03-02T10:20:00Z'), drop_in: 0 },
      { participant_id: ids[1], status: 'present', recorded_at: Date.parse('2027-03-02T10:05:10Z'), drop_in: 0 },
    ]);
    const writes = await t.db.selectFrom('audit_events').select('id').where('action', '=', 'register_write').execute();
    expect(writes).toHaveLength(2); // the colleague's save and the offline one: the replay wrote nothing
    // A later save without the key but the same old marks still loses to the newer mark.
    const late = await t.request('PUT', url, { token: t.clp.token, body: queued });
    expect(late.body.results[0].outcome).toBe('newer_kept');
    expect(late.body.results[1].outcome).toBe('unchanged');
  });

  it('status null clears a mark and takes a drop-in off the register', async () => {
    const t = await makeTestApp('2027-03-02T09:30:00Z');
    const { ids, url, sessionId } = await setup(t);
    const visitor = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Dev', smsConsent: false } })).body.id;
    const other = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Eve', smsConsent: false } })).body.id;
    const saved = await t.request('PUT', url, {
      token: t.clp.token,
      body: {
        entries: [
          { participantId: ids[0], status: 'present' },
          { participantId: visitor, status: 'present' },
          { participantId: other, status: 'late' },
        ],
      },
    });
    expect(saved.body.entries.filter((e: { dropIn: boolean }) => e.dropIn).map((e: { givenName: string }) => e.givenName)).toEqual(['Dev', 'Eve']);
    t.clock.set('2027-03-02T10:06:00Z');
    const cleared = await t.request('PUT', url, {
      token: t.clp.token,
      body: {
        entries: [
          { participantId: ids[0], status: null },
          { participantId: visitor, status: null },
          { participantId: ids[1], status: null },
        ],
      },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['cleared', 'cleared', 'unchanged']);
    expect((await rows(t, sessionId)).map((r) => r.participant_id)).toEqual([other]);
    expect(cleared.body.entries.map((e: { givenName: string; status: string | null }) => [e.givenName, e.status])).toEqual([
      ['Amira', null],
      ['Brian', null],
      ['Chloe', null],
      ['Eve', 'late'],
    ]);
  });

  it('refuses marks from the future or outside the session day, writing nothing', async () => {
    const t = await makeTestApp('2027-03-02T09:30:00Z');
    const { ids, url, sessionId } = await setup(t);
    for (const recordedAt of ['2027-03-02T10:30:00Z', '2027-02-28T10:00:00Z', 'yesterday', '2027-03-02T10:05:00']) {
      const res = await t.request('PUT', url, {
        token: t.clp.token,
        body: {
          entries: [
            { participantId: ids[1], status: 'present' },
            { participantId: ids[0], status: 'present', recordedAt },
          ],
        },
      });
      expect(res.status, recordedAt + JSON.stringify(res.body)).toBe(400);
    }
    expect(await rows(t, sessionId)).toEqual([]);
    // A phone clock a little fast is fine; so is a mark the evening before (apologies by phone).
    const ok = await t.request('PUT', url, {
      token: t.clp.token,
      body: {
        entries: [
          { participantId: ids[0], status: 'present', recordedAt: '2027-03-02T10:07:00Z' },
          { participantId: ids[1], status: 'apologies', recordedAt: '2027-03-01T18:00:00Z' },
        ],
      },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('someone who left the group or was erased since is refused in words; the rest is saved', async () => {
    const t = await makeTestApp('2027-03-02T09:30:00Z');
    const { group, ids, url, sessionId } = await setup(t);
    await t.request('DELETE', `/api/v1/groups/${group.id}/enrolments/${ids[1]}`, { token: t.clp.token });
    await t.request('POST', `/api/v1/participants/${ids[2]}/erase`, { token: t.admin.token });
    const res = await t.request('PUT', url, {
      token: t.clp.token,
      body: {
        entries: [
          { participantId: ids[0], status: 'present' },
          { participantId: ids[1], status: 'present' },
          { participantId: ids[2], status: 'present' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { participantId: ids[0], outcome: 'saved' },
      { participantId: ids[1], outcome: 'refused', reason: 'they have left the group; add them as a drop-in if they came' },
      { participantId: ids[2], outcome: 'refused', reason: 'their details were erased' },
    ]);
    expect((await rows(t, sessionId)).map((r) => r.participant_id)).toEqual([ids[0]]);
    const asDropIn = await t.request('PUT', url, { token: t.clp.token, body: { entries: [{ participantId: ids[1], status: 'present', dropIn: true }] } });
    expect(asDropIn.body.results).toEqual([{ participantId: ids[1], outcome: 'saved' }]);
    expect((await rows(t, sessionId)).find((r) => r.participant_id === ids[1])).toMatchObject({ status: 'present', drop_in: 1 });
  });
});
