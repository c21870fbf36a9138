import { describe, expect, it } from 'vitest';
import { groupWithPeople } from './helpers/sms-setup.js';
import { makeTestApp } from './helpers/test-app.js';

describe('a phone asking which of its kept registers changed (/offline/stale)', () => {
  it("names only the changed ones; another practice's session is stale; a malformed question is a 400", async () => {
    const t = await makeTestApp('2027-03-02T09:30:00Z');
    const { sessions, ids } = await groupWithPeople(t, [{ givenName: 'Amira' }]);
    const cookie = `clg_session=${t.clp.token}`;
    const get = (path: string) => t.app.request(path, { headers: { cookie } });
    const tagOf = async (id: number) => (await get(`/sessions/${id}/register`)).headers.get('etag')!;
    const [first, second] = [sessions[0]!.id, sessions[1]!.id];
    const asked = async () => {
      const q = [`s=${encodeURIComponent(`${first}:${firstTag}`)}`, `s=${encodeURIComponent(`${second}:${secondTag}`)}`].join('&');
      const res = await get(`/offline/stale?${q}`);
      return { status: res.status, body: (await res.json()) as { stale: number[] } };
    };
    const firstTag = await tagOf(first);
    const secondTag = await tagOf(second);
    expect(await asked()).toEqual({ status: 200, body: { stale: [] } });
    await t.request('PUT', `/api/v1/sessions/${first}/register`, { token: t.clp.token, body: { entries: [{ participantId: ids[0], status: 'present' }] } });
    // The practice's data moved on, so both pages' tags moved; the one marked certainly did.
    expect((await asked()).body.stale).toContain(first);
    const other = await t.app.request(`/offline/stale?s=${first}:x`, { headers: { cookie: `clg_session=${t.otherAdmin.token}` } });
    expect(await other.json()).toEqual({ stale: [first] });
    expect((await get('/offline/stale?s=nonsense')).status).toBe(400);
  });
});
