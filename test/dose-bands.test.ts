import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';
import { PERIOD, practiceWith, type Person } from './helpers/dose-people.js';

// Six who came 3-5 times: SWEMWBS changes 2, 4, 6, 8, 10, 6 (mean 6); five with GP counts.
const CAME: Person[] = [
  {
    sessions: 3,
    swemwbs: [18, 20],
    ons4: [
      [5, 5, 5, 5],
      [6, 5, 5, 4],
    ],
    gp: [10, 6],
  },
  {
    sessions: 3,
    swemwbs: [20, 24],
    ons4: [
      [5, 5, 5, 5],
      [6, 5, 5, 4],
    ],
    gp: [8, 6],
  },
  {
    sessions: 4,
    swemwbs: [22, 28],
    ons4: [
      [5, 5, 5, 5],
      [6, 5, 5, 4],
    ],
    gp: [12, 8],
  },
  {
    sessions: 4,
    swemwbs: [19, 27],
    ons4: [
      [5, 5, 5, 5],
      [6, 5, 5, 4],
    ],
    gp: [6, 6],
  },
  {
    sessions: 5,
    swemwbs: [21, 31],
    ons4: [
      [5, 5, 5, 5],
      [6, 5, 5, 4],
    ],
    gp: [9, 4],
  },
  { sessions: 5, swemwbs: [20, 26] },
];
// Five given a place who never came: SWEMWBS changes 1, -1, 0, 2, -2 (mean 0).
const NEVER: Person[] = [
  { sessions: 0, swemwbs: [20, 21] },
  { sessions: 0, swemwbs: [20, 19] },
  { sessions: 0, swemwbs: [20, 20] },
  { sessions: 0, swemwbs: [20, 22] },
  { sessions: 0, swemwbs: [20, 18] },
];
const ONCE: Person[] = [{ sessions: 1, swemwbs: [15, 25] }];
const SIX: Person[] = [{ sessions: 7 }];

/** A year on, the morning's sign-in has lapsed: sign in again. */
const signIn = async (t: TestApp, email: string) =>
  (await t.request('POST', '/api/v1/auth/login', { body: { email, password: TEST_PASSWORD } })).body.token as string;

describe('the impact report by dose band, every figure worked out by hand', () => {
  it('people, paired SWEMWBS with its 95% interval, ONS4 and GP appointments for each band; nothing shown over fewer than 5', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await practiceWith(t, t.practice.id, t.clp.token, [...CAME, ...NEVER, ...ONCE, ...SIX], 1);
    t.clock.set('2028-03-15T12:00:00Z');
    const token = await signIn(t, 'clp@possil.test');
    const r = (await t.request('GET', `/api/v1/reports/impact?${PERIOD}`, { token })).body;
    const band = (b: string) => r.byDose.find((x: { band: string }) => x.band === b);
    expect(r.byDose.map((b: { band: string; people: number }) => [b.band, b.people])).toEqual([
      ['0', 5],
      ['1', 1],
      ['2', 0],
      ['3-5', 6],
      ['6+', 1],
    ]);
    // 3-5: changes 2, 4, 6, 8, 10, 6. Mean 6; squared deviations 16+4+0+4+16+0 = 40, / 5 = 8, sd 2.8284;
    // se 2.8284 / √6 = 1.1547; t(5) = 2.5706; half-width 2.9683: 3.03 to 8.97. Baselines average 20.
    expect(band('3-5').swemwbs).toEqual({ n: 6, baseline: 20, change: 6, ci95: [3.03, 8.97] });
    // 0 (never came): changes 1, -1, 0, 2, -2. Mean 0; squared deviations 10, / 4 = 2.5, sd 1.5811;
    // se 0.7071; t(4) = 2.7764; half-width 1.9632.
    expect(band('0').swemwbs).toEqual({ n: 5, baseline: 20, change: 0, ci95: [-1.96, 1.96] });
    // One person is not a mean.
    expect(band('1').swemwbs).toEqual({ n: 1, baseline: null, change: null, ci95: null });
    // ONS4: five pairs, each life satisfaction +1, anxiety -1.
    expect(band('3-5').ons4).toEqual({ n: 5, change: { lifeSatisfaction: 1, worthwhile: 0, happiness: 0, anxiety: -1 } });
    // GP: before 10, 8, 12, 6, 9 (mean 9); after 6, 6, 8, 6, 4 (mean 6); changes -4, -2, -4, 0, -5 (mean -3);
    // squared deviations 1+1+1+9+4 = 16, / 4 = 4, sd 2; se 2 / √5 = 0.8944; t(4) = 2.7764; half-width 2.4833.
    expect(band('3-5').gpAppointments).toEqual({ n: 5, before: 9, after: 6, change: -3, ci95: [-5.48, -0.52] });
    expect(band('0').gpAppointments).toEqual({ n: 0, before: null, after: null, change: null, ci95: null });
    expect(r.producedAt).toBe('2028-03-15T12:00:00+00:00');
    expect(r.practice).toEqual({ name: 'Possilpark Health Centre', code: null });
    expect(r.groups).toEqual([{ id: expect.any(Number), name: 'Walk 1' }]);
    expect(r.method.join(' ')).toMatch(/association, not proof/);
    expect(r.method.join(' ')).toMatch(/regression to the mean/);
    expect(r.method.join(' ')).toMatch(/no CHI number/);
    expect(r.funnel.method).toMatch(/^Counts people/);
    expect(r.attendance.method).toMatch(/^Counts places/);

    // Leaving the practice (CSV): 1 to 4 as "<5".
    const csv = await (await t.app.request(`/api/v1/reports/impact.csv?${PERIOD}`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(csv).toMatch(/^by dose 1,people,<5,/m);
    expect(csv).toMatch(/^by dose 6\+,people,<5,/m);
    // 3 or more = 3-5 + 6+: with 6+ hidden, a 6 beside it would give it back, so the 6 is hidden too.
    expect(csv).toMatch(/^by dose 3-5,people,\[c\],/m);
    expect(csv).toMatch(/^by dose 3-5,SWEMWBS: 95% interval of the change,3\.03 to 8\.97,/m);
  });

  it("the programme's bands are pooled from people: three in a band in each of two practices shows its mean, each practice's shows <5", async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
    await t.db.updateTable('practices').set({ code: 'A1' }).where('id', '=', t.practice.id).execute();
    await t.db.updateTable('practices').set({ code: 'B2' }).where('id', '=', t.otherPractice.id).execute();
    await practiceWith(t, t.practice.id, t.clp.token, CAME.slice(0, 3), 1);
    await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, CAME.slice(3, 6), 2);
    t.clock.set('2028-03-15T12:00:00Z');
    const r = (await t.request('GET', `/api/v1/programme/reports/impact?${PERIOD}`, { token: await signIn(t, 'admin@possil.test') })).body;
    expect(r.practices.map((p: { practiceCode: string }) => p.practiceCode)).toEqual(['A1', 'B2']);
    for (const p of r.practices) {
      const b = p.byDose.find((x: { band: string }) => x.band === '3-5');
      expect(b.people).toBe('<5');
      expect(b.swemwbs).toEqual({ n: '<5', baseline: null, change: null, ci95: null });
    }
    // Pooled: the same six people as above, the same figures (never a mean of the two practices' means).
    const pooled = r.programme.byDose.find((x: { band: string }) => x.band === '3-5');
    expect(pooled.people).toBe(6);
    expect(pooled.swemwbs).toEqual({ n: 6, baseline: 20, change: 6, ci95: [3.03, 8.97] });
    expect(r.method.join(' ')).toMatch(/regression to the mean/);
    expect(JSON.stringify(r)).not.toMatch(/P1-|P2-/);
  });
});
