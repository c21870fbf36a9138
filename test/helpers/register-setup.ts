import { seedGroup, type TestApp } from './test-app.js';

/** Amira, Brian and Chloe enrolled in the Tuesday walk (from Tue 2 March 2027), with its sessions to April. */
export async function threeOnTheWalk(t: TestApp) {
  const { group } = await seedGroup(t);
  const ids: number[] = [];
  for (const [n, name] of ['Amira', 'Brian', 'Chloe'].entries()) {
    const p = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: name, phone: `07700 90010${n}`, smsConsent: true } });
    ids.push(p.body.id);
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id } });
  }
  const sessions = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-04-30`, { token: t.clp.token })).body.items;
  return { group, ids, sessions };
}
