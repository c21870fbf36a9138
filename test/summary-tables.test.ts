import { describe, expect, it } from 'vitest';
import { REBUILD_SUMMARIES_SQL } from '../src/reports/attendance/summary-tables.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

describe('the summaries reports read stay in step with the marks', () => {
  it('after marks are made, changed and cleared, and a session is cancelled, moved and restored', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t, { capacity: 6 });
    const ids: number[] = [];
    for (const name of ['Amira', 'Brian', 'Chloe', 'Dev']) {
      const id = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: name, smsConsent: false } })).body.id;
      ids.push(id);
      await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: id } });
    }
    const sessions = await t.db.selectFrom('sessions').select(['id', 'starts_at']).where('group_id', '=', group.id).orderBy('starts_at').limit(4).execute();
    const statuses = ['present', 'late', 'absent', 'apologies', null] as const;
    for (const [w, s] of sessions.entries()) {
      t.clock.set(new Date(s.starts_at + 5 * 60_000).toISOString());
      for (let round = 0; round < 3; round++) {
        const entries = ids.map((id, i) => ({ participantId: id, status: statuses[(w + i + round * 2) % statuses.length]! }));
        expect((await t.request('PUT', `/api/v1/sessions/${s.id}/register`, { token: t.clp.token, body: { entries } })).status).toBe(200);
      }
    }
    // After the fact: the second session cancelled, the third moved a day earlier, the second restored.
    await t.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', sessions[1]!.id).execute();
    await t.db
      .updateTable('sessions')
      .set({ starts_at: sessions[2]!.starts_at - 86_400_000 })
      .where('id', '=', sessions[2]!.id)
      .execute();
    const snapshot = async () => ({
      marks: await t.db
        .selectFrom('session_marks')
        .selectAll()
        .where((eb) => eb.or([eb('present', '>', 0), eb('late', '>', 0), eb('absent', '>', 0), eb('apologies', '>', 0)]))
        .orderBy('session_id')
        .execute(),
      participation: await t.db.selectFrom('participation').selectAll().orderBy('participant_id').orderBy('group_id').execute(),
    });
    const kept = await snapshot();
    expect(kept.participation.length).toBeGreaterThan(0);
    for (const statement of REBUILD_SUMMARIES_SQL) t.sqlite.exec(statement);
    expect(kept).toEqual(await snapshot());

    await t.db.updateTable('sessions').set({ status: 'scheduled' }).where('id', '=', sessions[1]!.id).execute();
    const restored = await snapshot();
    for (const statement of REBUILD_SUMMARIES_SQL) t.sqlite.exec(statement);
    expect(restored).toEqual(await snapshot());
  });
});
