import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';
import { chi, nextChi, PERIOD, practiceWith, type Person } from './helpers/dose-people.js';
import { recovered, type Sum } from './helpers/disclosure-attack.js';

type Shown = number | string | null;
type Figures = Record<string, Shown>;

const signIn = async (t: TestApp, email: string) =>
  (await t.request('POST', '/api/v1/auth/login', { body: { email, password: TEST_PASSWORD } })).body.token as string;

const BANDS = ['0', '1', '2', '3-5', '6+'];
const pair = (base: number, change: number): Person['swemwbs'] => [base, base + change];
/** People by sessions attended, most with a SWEMWBS pair and some with GP counts: sizes that leave 1-4 in places. */
const mix = (counts: Record<string, number>, gpFrom = 99): Person[] =>
  Object.entries(counts).flatMap(([sessions, n]) =>
    Array.from({ length: n }, (_, i) => ({
      sessions: Number(sessions),
      swemwbs: pair(18 + i, (i % 5) - 1),
      ...(i >= gpFrom ? { gp: [6 + i, 4 + i] as [number, number], chi: nextChi() } : {}),
    })),
  );

/** The sums a reader knows the figures of one practice obey (as a reader would assume them). */
function practiceSums(p: string): Sum[] {
  const b = (band: string, m: string) => `${p}/${band}/${m}`;
  return [
    { total: `${p}/referred`, parts: [`${p}/enrolled`, `${p}/notEnrolled`] },
    { total: `${p}/enrolled`, parts: [b('0', 'people'), `${p}/once`] },
    { total: `${p}/once`, parts: [b('1', 'people'), b('2', 'people'), `${p}/three`] },
    { total: `${p}/three`, parts: [b('3-5', 'people'), b('6+', 'people')] },
    { total: `${p}/swemwbs`, parts: BANDS.map((x) => b(x, 'swemwbs')) },
    { total: `${p}/gp`, parts: [b('3-5', 'gp'), b('6+', 'gp')] },
    { total: `${p}/received`, parts: [`${p}/accepted`, `${p}/declined`, `${p}/awaiting`] },
    { total: `${p}/accepted`, parts: [`${p}/cameFromReferral`, `${p}/notYet`] },
  ];
}

/** Builds a two-band-column programme with a pooled row: the subtraction across practices. */
function pooledSums(codes: string[]): Sum[] {
  return BANDS.flatMap((band) =>
    ['people', 'swemwbs', 'ons4', 'gp'].map((m) => ({ total: `pooled/${band}/${m}`, parts: codes.map((c) => `${c}/${band}/${m}`) })),
  );
}

interface Band {
  band: string;
  people: Shown;
  swemwbs: { n: Shown };
  ons4: { n: Shown };
  gpAppointments: { n: Shown };
}
function bandFigures(prefix: string, bands: Band[], into: Figures) {
  for (const d of bands) {
    into[`${prefix}/${d.band}/people`] = d.people;
    into[`${prefix}/${d.band}/swemwbs`] = d.swemwbs.n;
    into[`${prefix}/${d.band}/ons4`] = d.ons4.n;
    into[`${prefix}/${d.band}/gp`] = d.gpAppointments.n;
  }
}

async function programme(t: TestApp) {
  await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
  await t.db.updateTable('practices').set({ code: 'A1' }).where('id', '=', t.practice.id).execute();
  await t.db.updateTable('practices').set({ code: 'B2' }).where('id', '=', t.otherPractice.id).execute();
  await practiceWith(t, t.practice.id, t.clp.token, mix({ 0: 6, 1: 3, 2: 7, 3: 9, 7: 2 }, 4), 1);
  await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, mix({ 0: 2, 1: 8, 2: 1, 4: 12, 6: 6 }, 2), 2);
  t.clock.set('2028-03-15T12:00:00Z');
}

describe('figures that leave a practice, attacked by subtraction across rows, columns and totals', () => {
  it("the practice's CSV: no figure shown as <5 comes back, and without the complements one would", async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await programme(t);
    const token = await signIn(t, 'clp@possil.test');
    const csv = await (await t.app.request(`/api/v1/reports/impact.csv?${PERIOD}`, { headers: { authorization: `Bearer ${token}` } })).text();
    const exact = (await t.request('GET', `/api/v1/reports/impact?${PERIOD}`, { token })).body;
    const value = (section: string, figure: string): Shown => {
      const line = csv.split('\r\n').find((l) => l.startsWith(`${section},${figure},`));
      const v = line!.slice(section.length + figure.length + 2).split(',')[0]!;
      return v === '' ? null : /^\d+$/.test(v) ? Number(v) : v;
    };
    const shown: Figures = {
      'A/referred': value('funnel', 'referred'),
      'A/enrolled': value('funnel', 'enrolled'),
      'A/once': value('funnel', 'attended once'),
      'A/three': value('funnel', 'attended 3 or more'),
      'A/swemwbs': value('wellbeing', 'SWEMWBS: people with baseline and follow-up'),
      'A/gp': value('gp appointments', 'people'),
      'A/received': value('referrals', 'received'),
      'A/accepted': value('referrals', 'accepted'),
      'A/declined': value('referrals', 'declined'),
      'A/cameFromReferral': value('referrals', 'came'),
      'A/awaiting': 0,
    };
    for (const band of BANDS) {
      shown[`A/${band}/people`] = value(`by dose ${band}`, 'people');
      shown[`A/${band}/swemwbs`] = value(`by dose ${band}`, 'SWEMWBS: people with a pair');
      shown[`A/${band}/gp`] = value(`by dose ${band}`, 'GP appointments: people');
    }
    const hidden = Object.entries(shown).filter(([, v]) => v === '<5');
    expect(hidden.length).toBeGreaterThan(2);
    expect(recovered(practiceSums('A'), shown)).toEqual([]);
    // A hidden band's mean goes with its count.
    for (const band of BANDS) if (typeof shown[`A/${band}/swemwbs`] !== 'number') expect(value(`by dose ${band}`, 'SWEMWBS: mean change')).toBeNull();

    // The same output with only the small cells hidden (the complements shown as they are) gives some back.
    const exactOf: Figures = { ...shown };
    for (const d of exact.byDose) bandFigures('A', [d], exactOf);
    Object.assign(exactOf, {
      'A/enrolled': exact.funnel.enrolled,
      'A/once': exact.funnel.attendedOnce,
      'A/three': exact.funnel.attendedThreePlus,
      'A/swemwbs': exact.wellbeing.swemwbs.n,
      'A/gp': exact.gpAppointments.n,
    });
    const onlySmall = Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, v === '[c]' ? exactOf[k]! : v]));
    expect(recovered(practiceSums('A'), onlySmall).length).toBeGreaterThan(0);
  });

  it('the programme report (JSON and CSV): rows, the pooled row and every practice against the others', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await programme(t);
    const token = await signIn(t, 'admin@possil.test');
    const r = (await t.request('GET', `/api/v1/programme/reports/impact?${PERIOD}`, { token })).body;
    const shown: Figures = {};
    const codes: string[] = r.practices.map((p: { practiceCode: string }) => p.practiceCode);
    for (const p of r.practices) {
      const c = p.practiceCode;
      Object.assign(shown, {
        [`${c}/referred`]: p.referred,
        [`${c}/enrolled`]: p.enrolled,
        [`${c}/once`]: p.attendedOnce,
        [`${c}/three`]: p.attendedThreePlus,
        [`${c}/swemwbs`]: p.swemwbsPeople,
        [`${c}/gp`]: p.gpPeople,
        [`${c}/received`]: p.referralsReceived,
        [`${c}/accepted`]: p.referralsAccepted,
        [`${c}/declined`]: p.referralsDeclined,
        [`${c}/cameFromReferral`]: p.referralsAttended,
        [`${c}/awaiting`]: 0,
      });
      bandFigures(c, p.byDose, shown);
      if (p.swemwbsPeople === '<5' || p.swemwbsPeople === '[c]') expect(p.swemwbsMeanChange).toBeNull();
    }
    bandFigures('pooled', r.programme.byDose, shown);
    const sums = [...codes.flatMap(practiceSums), ...pooledSums(codes)];
    expect(Object.values(shown).filter((v) => v === '<5').length).toBeGreaterThan(3);
    expect(recovered(sums, shown)).toEqual([]);
    expect(r.method.join(' ')).toMatch(/\[c\]/);

    // The CSV carries the same figures: each practice's row and the pooled row, column by column.
    const csv = await (await t.app.request(`/api/v1/programme/reports/impact.csv?${PERIOD}`, { headers: { authorization: `Bearer ${token}` } })).text();
    const [header, ...lines] = csv.trim().split('\r\n');
    const cols = header!.split(',');
    const row = (code: string) => lines.find((l) => l.startsWith(`${code},`))!.split(',');
    for (const c of [...codes, 'programme (pooled)']) {
      const key = c === 'programme (pooled)' ? 'pooled' : c;
      for (const band of BANDS) expect(row(c)[cols.indexOf(`dose ${band}: people`)]).toBe(String(shown[`${key}/${band}/people`]));
    }
  });

  it('someone given a place in two practices is one person in the pooled bands, matched without their CHI', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
    const same = chi('010190123');
    const both: Person[] = [{ sessions: 2, chi: same, swemwbs: [20, 24] }];
    const others = (n: number) => Array.from({ length: n }, () => ({ sessions: 2 }));
    await practiceWith(t, t.practice.id, t.clp.token, [...both, ...others(6)], 1);
    await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, [...both, ...others(6)], 2);
    t.clock.set('2028-03-15T12:00:00Z');
    const r = (await t.request('GET', `/api/v1/programme/reports/impact?${PERIOD}`, { token: await signIn(t, 'admin@possil.test') })).body;
    const people = (bands: { band: string; people: Shown }[], band: string) => bands.find((b) => b.band === band)!.people;
    // Each practice counts its own 7 in band 2; pooled, the shared person's 2 + 2 sessions put them once in 3-5.
    expect(r.practices.map((p: { byDose: { band: string; people: Shown }[] }) => people(p.byDose, '2'))).toEqual([7, 7]);
    expect(people(r.programme.byDose, '2')).toBe(12);
    expect(['<5', '[c]']).toContain(people(r.programme.byDose, '3-5'));
    expect(r.method.join(' ')).toMatch(/one person in the pooled bands/);
    expect(JSON.stringify(r)).not.toContain(same);
  });
});

describe('retention counts people', () => {
  it('someone who began two groups in the period is one person kept, not two', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await practiceWith(t, t.practice.id, t.clp.token, [{ sessions: 6 }], 1);
    const person = await t.db.selectFrom('participants').select('id').where('given_name', '=', 'P1-0').executeTakeFirstOrThrow();
    // The same person in a second walk, coming to its first six sessions too.
    await practiceWith(t, t.practice.id, t.clp.token, [], 2);
    const second = await t.db.selectFrom('community_groups').select('id').where('name', '=', 'Walk 2').executeTakeFirstOrThrow();
    const sessions = await t.db.selectFrom('sessions').select('id').where('group_id', '=', second.id).orderBy('starts_at').limit(6).execute();
    for (const s of sessions)
      await t.db
        .insertInto('attendance')
        .values({
          session_id: s.id,
          participant_id: person.id,
          practice_id: t.practice.id,
          status: 'present',
          drop_in: 1,
          recorded_by: null,
          recorded_at: Date.now(),
        })
        .execute();
    t.clock.set('2028-03-15T12:00:00Z');
    const r = (await t.request('GET', `/api/v1/reports/impact?${PERIOD}`, { token: await signIn(t, 'clp@possil.test') })).body;
    expect(r.retention.weeks4).toEqual({ eligible: 1, retained: 1, rate: 1 });
    expect(r.retention.method).toMatch(/^Counts people, each once/);
  });
});
