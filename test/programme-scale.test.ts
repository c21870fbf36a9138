import { describe, expect, it } from 'vitest';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { peopleByDoseIn } from '../src/reports/impact/dose-people.js';
import { impactFigures } from '../src/reports/impact/impact-figures.js';
import { programmeImpact } from '../src/reports/programme/programme-impact.js';
import { createPractice } from '../src/users/users-service.js';
import { nextChi, PERIOD, practiceWith, type Person } from './helpers/dose-people.js';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';

const FREE_PLAN = 50;
const RANGE = { from: '2027-03-01', to: '2028-02-29' };

/** People of every kind, a few more in each practice, so no two practices' figures are alike. */
const peopleFor = (k: number): Person[] => [
  ...Array.from({ length: 1 + (k % 3) }, () => ({ sessions: 0, swemwbs: [20, 21] as [number, number] })),
  ...Array.from({ length: 2 + (k % 4) }, (_, i) => ({
    sessions: 3 + i,
    swemwbs: [18, 22 + (i % 3)] as [number, number],
    ons4: [
      [5, 5, 5, 5],
      [6, 6, 5, 4],
    ] as [number[], number[]],
    gp: [9, 5 + (i % 2)] as [number, number],
    chi: nextChi(),
  })),
  ...Array.from({ length: k % 2 }, () => ({ sessions: 7 })),
];

/** Thirteen practices (the two the test app has, and eleven more), each with a walk and its people. */
async function thirteen(t: TestApp) {
  await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
  await practiceWith(t, t.practice.id, t.clp.token, peopleFor(0), 1);
  await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, peopleFor(1), 2);
  for (let k = 2; k < 13; k++) {
    const p = await createPractice(t.db, t.clock, `Practice ${k}`, 'Europe/London', `P${k}`);
    const admin = await t.addUser(p.id, 'admin', `admin${k}@practice.test`);
    await practiceWith(t, p.id, admin.token, peopleFor(k), k + 1);
  }
  t.clock.set('2028-03-15T12:00:00Z');
  return t.db.selectFrom('practices').select(['id', 'code', 'timezone', 'attendance_threshold']).orderBy('id').execute();
}

describe('the programme reports at national scale: a fixed number of queries, the same figures', () => {
  it('all practices at once give each practice exactly the figures it gets alone', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const practices = await thirteen(t);
    const now = t.clock.now().getTime();
    const together = await impactFigures(t.db, practices, now, RANGE);
    const people = await peopleByDoseIn(t.db, practices, now, RANGE);
    for (const p of practices) {
      expect(together.get(p.id)).toEqual((await impactFigures(t.db, [p], now, RANGE)).get(p.id));
      expect(people.get(p.id)).toEqual((await peopleByDoseIn(t.db, [p], now, RANGE)).get(p.id));
    }
    // Not all alike: the comparison would prove nothing if every practice were the same.
    expect(new Set(practices.map((p) => people.get(p.id)?.length)).size).toBeGreaterThan(3);
  });

  it('the queries do not grow with the practices: 2 or 13 cost the same, within a Workers Free invocation', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const practices = await thirteen(t);
    const actor = { id: t.admin.id, practiceId: t.practice.id, timezone: 'Europe/London' };
    const cost = async (ids: number[]) => {
      const budget = new QueryBudget(1_000_000);
      await withQueryBudget(budget, () => programmeImpact(t.db, { actor, practiceIds: ids }, t.clock.now().getTime(), RANGE));
      return budget.used;
    };
    const two = await cost(practices.slice(0, 2).map((p) => p.id));
    const all = await cost(practices.map((p) => p.id));
    expect(all).toBe(two);
    expect(all).toBeLessThan(FREE_PLAN);
    const token = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token;
    for (const path of ['impact', 'impact.csv', 'attendance', 'attendance.csv', 'monitoring', 'monitoring.csv']) {
      const budget = new QueryBudget(FREE_PLAN);
      const res = await withQueryBudget(budget, () => t.request('GET', `/api/v1/programme/reports/${path}?${PERIOD}`, { token }));
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      if (path === 'impact') expect(res.body.practices).toHaveLength(13);
      if (path === 'attendance') expect(res.body.practices).toHaveLength(13);
    }
  });
});
