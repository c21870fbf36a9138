import { describe, expect, it } from 'vitest';
import type { AttendanceStatus } from '../src/db/schema.js';
import { localDate } from '../src/lib/time/time.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

// Valid CHI numbers (date of birth + modulus-11 check digit), worked out by hand.
const CHI_A = '0101901232'; // 0·10+1·9+0·8+1·7+9·6+0·5+1·4+2·3+3·2 = 86; 86 mod 11 = 9; 11 − 9 = 2
const CHI_B = '1505856787';
const CHI_OTHER = '2002751234';

const SWEMWBS = (raw: number[]) => ({ measure: 'swemwbs', answers: raw });

/**
 * A walk on Tuesdays from 2 March 2027 (the clocks go forward on 28 March). Eve joined in
 * February; Amira, Brian, Chloe and Dev were referred on 1 March (Dev waitlisted: capacity 4).
 */
async function seed(t: TestApp) {
  const { group } = await seedGroup(t, { name: '=SUM(1) Walk', capacity: 4 });
  const person = async (givenName: string, chiNumber?: string) =>
    (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName, smsConsent: false, ...(chiNumber && { chiNumber }) } })).body
      .id as number;
  const enrol = (id: number) => t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: id } });
  const E = await person('Eve');
  await enrol(E);
  t.clock.set('2027-03-01T09:00:00Z');
  const A = await person('Amira', CHI_A);
  const B = await person('Brian', CHI_B);
  const C = await person('Chloe');
  const D = await person('Dev');
  for (const id of [A, B, C, D]) await enrol(id);
  const sessions = await t.db.selectFrom('sessions').select(['id', 'starts_at']).where('group_id', '=', group.id).execute();
  const on = (date: string) => sessions.find((s) => localDate(s.starts_at, 'Europe/London') === date)!.id;
  const mark = async (date: string, who: number, status: AttendanceStatus) =>
    t.db
      .insertInto('attendance')
      .values({
        session_id: on(date),
        participant_id: who,
        practice_id: t.practice.id,
        status,
        drop_in: 0,
        recorded_by: t.clp.id,
        recorded_at: Date.parse(`${date}T12:00:00Z`),
      })
      .execute();
  await mark('2027-03-02', A, 'present');
  await mark('2027-03-02', B, 'present');
  await mark('2027-03-02', C, 'absent');
  await mark('2027-03-02', E, 'late');
  await mark('2027-03-09', A, 'present');
  await mark('2027-03-09', B, 'apologies');
  await mark('2027-03-09', E, 'present');
  await mark('2027-03-16', A, 'present');
  await mark('2027-03-16', B, 'absent');
  await mark('2027-03-23', A, 'absent');
  await mark('2027-03-30', E, 'present'); // 4 weeks after 2 March, in BST
  await mark('2027-06-01', A, 'present');

  t.clock.set('2027-09-01T12:00:00Z');
  const outcome = (id: number, body: object) => t.request('POST', `/api/v1/participants/${id}/outcomes`, { token: t.clp.token, body });
  expect((await outcome(A, { ...SWEMWBS([1, 1, 1, 1, 1, 1, 1]), takenOn: '2027-03-02' })).body).toMatchObject({ rawScore: 7, metricScore: 7 });
  expect((await outcome(A, { ...SWEMWBS([5, 5, 5, 5, 5, 5, 5]), takenOn: '2027-06-01' })).body).toMatchObject({ rawScore: 35, metricScore: 35 });
  expect((await outcome(B, { ...SWEMWBS([4, 3, 3, 3, 3, 3, 3]), takenOn: '2027-03-02' })).body).toMatchObject({ rawScore: 22, metricScore: 19.98 });
  await outcome(B, { ...SWEMWBS([5, 5, 5, 5, 5, 5, 5]), takenOn: '2027-04-06' }); // 5 weeks on: too soon to be the follow-up
  expect((await outcome(B, { ...SWEMWBS([4, 4, 4, 3, 3, 3, 3]), takenOn: '2027-06-08' })).body).toMatchObject({ rawScore: 24, metricScore: 21.54 });
  await outcome(E, { ...SWEMWBS([2, 2, 2, 2, 2, 2, 2]), takenOn: '2027-02-20' }); // baseline before the period
  await outcome(E, { ...SWEMWBS([3, 3, 3, 3, 3, 3, 3]), takenOn: '2027-06-01' });
  expect((await outcome(A, { measure: 'ons4', answers: [3, 4, 2, 8], takenOn: '2027-03-02' })).status).toBe(201);
  await outcome(A, { measure: 'ons4', answers: [6, 7, 5, 3], takenOn: '2027-06-01' });

  const csv = [
    'CHI Number,Period start,Period end,Appts',
    `${CHI_A},2026-03-02,2027-03-01,12`,
    `${CHI_A},02/03/2027,31/08/2027,3`,
    `${CHI_B},2026-03-02,2027-08-31,9`,
    `${CHI_OTHER},2026-03-02,2027-08-31,40`,
  ].join('\r\n');
  const imported = await t.request('POST', '/api/v1/gp-appointments/import', { token: t.admin.token, body: { csv, commit: true } });
  expect(imported.body).toMatchObject({ rows: 4, valid: 4, notParticipants: 1, imported: 3, errors: [] });
  return { group, A, B, C, D, E };
}

describe('the impact report, every figure worked out by hand', () => {
  it('computes the funnel, attendance without apologies, retention across the clock change, wellbeing and GP appointments', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await seed(t);
    await t.db.updateTable('practices').set({ attendance_threshold: 0.8 }).where('id', '=', t.practice.id).execute();
    const r = (await t.request('GET', '/api/v1/reports/impact?from=2027-03-01&to=2027-08-31', { token: t.clp.token })).body;

    // Referred on 1 March: Amira, Brian, Chloe, Dev. Places: three (Dev waits). Came: Amira (4), Brian (1).
    expect(r.funnel).toMatchObject({ referred: 4, enrolled: 3, attendedOnce: 2, attendedThreePlus: 1 });
    // Tuesdays 2 March to 31 August: 27 sessions. Present or late 8, absent 3, apologies 1: 8 / 11 = 0.73 (not 8 / 12).
    expect(r.attendance).toMatchObject({ sessionsHeld: 27, attended: 8, absent: 3, apologies: 1, rate: 0.73 });
    // First sessions on 2 March: Amira (back 1 June), Brian (never again), Eve (back 30 March, BST).
    expect(r.retention.weeks4).toEqual({ eligible: 3, retained: 2, rate: 0.67 });
    expect(r.retention.weeks12).toEqual({ eligible: 3, retained: 1, rate: 0.33 });
    // SWEMWBS: Amira 7.00 → 35.00 (+28, both ends of the table); Brian 19.98 → 21.54 (+1.56; the 6 April one is too soon). Eve's baseline is before the period.
    expect(r.wellbeing.swemwbs).toMatchObject({ n: 2, meanBaseline: 13.49, meanFollowUp: 28.27, meanChange: 14.78, improvedMeaningfully: 0.5 });
    expect(r.wellbeing.ons4).toMatchObject({ n: 1, meanChange: { lifeSatisfaction: 3, worthwhile: 3, happiness: 3, anxiety: -5 } });
    // GP: only Amira came 3+ times. 12 in the year before 2 March; 3 in the 183 days after, × 365 / 183 = 5.98 a year.
    expect(r.gpAppointments).toMatchObject({ n: 1, totalBefore: 12, totalAfterAnnualised: 6, medianChange: -6.02 });
    expect(r.belowThreshold.groups).toEqual([expect.objectContaining({ name: '=SUM(1) Walk', rate: 0.73 })]);
    for (const section of ['funnel', 'attendance', 'retention', 'gpAppointments', 'belowThreshold'])
      expect(r[section].method.length, section).toBeGreaterThan(40);
    expect(r.wellbeing.swemwbs.method).toContain('conversion table');
  });

  it('the CSV has one header row, small counts as "<5", no formula a spreadsheet would run, and a line on how each figure was computed', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await seed(t);
    await t.db.updateTable('practices').set({ attendance_threshold: 0.8 }).where('id', '=', t.practice.id).execute();
    const res = await t.app.request('/api/v1/reports/impact.csv?from=2027-03-01&to=2027-08-31', { headers: { authorization: `Bearer ${t.clp.token}` } });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('section,figure,value,howComputed');
    expect(lines.filter((l) => l.startsWith('section,'))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('funnel,referred,'))).toMatch(/^funnel,referred,<5,/);
    expect(lines.find((l) => l.startsWith('attendance,attendances (present or late),'))).toMatch(/,8,/);
    // 8 present or late and 3 absent ("<5"): a rate of 0.73 beside the 8 would give the 3 back.
    expect(lines.find((l) => l.startsWith('attendance,absent,'))).toMatch(/^attendance,absent,<5,/);
    expect(lines.find((l) => l.startsWith('attendance,attendance rate,'))).toMatch(/^attendance,attendance rate,,/);
    expect(csv).toContain("below threshold,'=SUM(1) Walk,0.73,");
    expect(csv).not.toMatch(/(^|,)=SUM/m);
  });

  it('across practices, for a programme admin: counts under 5 as "<5", and rates or means only over 5 people or more', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    await seed(t);
    await t.db.updateTable('practices').set({ code: 'G12345' }).where('id', '=', t.practice.id).execute();
    await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
    const url = `/api/v1/programme/reports/impact?from=2027-03-01&to=2027-08-31&practiceIds=${t.practice.id}`;
    const r = await t.request('GET', url, { token: t.admin.token });
    expect(r.body.practices).toEqual([
      {
        practiceCode: 'G12345',
        referred: '<5',
        enrolled: '<5',
        attendedOnce: '<5',
        attendedThreePlus: '<5',
        referralsReceived: 0,
        referralsAccepted: 0,
        referralsAttended: 0,
        referralsDeclined: 0,
        sessionsHeld: 27,
        attendanceRate: 0.73, // 11 people-sessions marked: enough to show
        apologies: '<5',
        retention4WeeksRate: null,
        retention12WeeksRate: null,
        swemwbsPeople: '<5',
        swemwbsMeanChange: null,
        swemwbsImprovedShare: null,
        gpPeople: '<5',
        gpMedianChange: null,
        groupsBelowThreshold: 0,
        byDose: expect.any(Array),
      },
    ]);
    // Every count in the bands is 0, 5 or more, or "<5"; no mean under 5 people.
    for (const band of [...r.body.practices[0].byDose, ...r.body.programme.byDose])
      for (const n of [band.people, band.swemwbs.n, band.ons4.n, band.gpAppointments.n]) expect(n === 0 || n === '<5' || n >= 5).toBe(true);
    expect(JSON.stringify(r.body)).not.toMatch(/Amira|Brian|0101901232/);
    expect((await t.request('GET', url, { token: t.clp.token })).status).toBe(403);
    const csv = await t.app.request(url.replace('/impact?', '/impact.csv?'), { headers: { authorization: `Bearer ${t.admin.token}` } });
    expect((await csv.text()).split('\r\n')[0]).toContain('practiceCode,referred,enrolled');
  });

  it('refuses bad outcomes, CHI numbers and imports with clear errors, writing nothing', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const p = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Amira', smsConsent: false } })).body.id;
    const post = (body: object) => t.request('POST', `/api/v1/participants/${p}/outcomes`, { token: t.clp.token, body });
    for (const body of [
      { measure: 'swemwbs', answers: [1, 2, 3], takenOn: '2027-03-01' },
      { measure: 'swemwbs', answers: [0, 1, 1, 1, 1, 1, 1], takenOn: '2027-03-01' },
      { measure: 'ons4', answers: [11, 1, 1, 1], takenOn: '2027-03-01' },
      { measure: 'ons4', answers: [1, 1, 1, 1], takenOn: '2027-03-02' },
      { measure: 'wemwbs', answers: [1, 1, 1, 1, 1, 1, 1], takenOn: '2027-03-01' },
    ])
      expect((await post(body)).status, JSON.stringify(body)).toBe(400);
    expect((await t.request('POST', `/api/v1/participants/${p}/outcomes`, { token: t.staff.token, body: {} })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/participants/${p}/outcomes`, { token: t.clp.token })).body.items).toEqual([]);

    for (const chiNumber of ['123', '3201901234', '0101901237', '0101901230']) {
      const res = await t.request('PATCH', `/api/v1/participants/${p}`, { token: t.clp.token, body: { chiNumber } });
      expect(res.status, chiNumber).toBe(400);
    }
    expect((await t.request('PATCH', `/api/v1/participants/${p}`, { token: t.clp.token, body: { chiNumber: '010 190 1232' } })).body.chiNumber).toBe(CHI_A);
    const twin = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Twin', smsConsent: false, chiNumber: CHI_A } });
    expect(twin.status).toBe(409);

    const bad = [
      'chi,from,to,appointments',
      `${CHI_A},2027-01-01,2026-12-01,3`,
      `0101901237,2027-01-01,2027-02-01,3`,
      `${CHI_A},yesterday,2027-02-01,3`,
      `${CHI_A},2027-01-01,2027-02-01,lots`,
    ].join('\n');
    const preview = await t.request('POST', '/api/v1/gp-appointments/import', { token: t.admin.token, body: { csv: bad } });
    expect(preview.body.errors.map((e: { row: number }) => e.row)).toEqual([2, 3, 4, 5]);
    expect(preview.body.errors[1].message).toContain('check digit');
    const commit = await t.request('POST', '/api/v1/gp-appointments/import', { token: t.admin.token, body: { csv: bad, commit: true } });
    expect(commit.status).toBe(422);
    const unmapped = await t.request('POST', '/api/v1/gp-appointments/import', { token: t.admin.token, body: { csv: 'Patient,When,Number\n1,2,3' } });
    expect(unmapped.status).toBe(400);
    expect(unmapped.body.error.message).toContain('No column for chi');
    const mapped = await t.request('POST', '/api/v1/gp-appointments/import', {
      token: t.admin.token,
      body: {
        csv: `Patient,From,Until,Number\n${CHI_A},2027-01-01,2027-01-31,2`,
        mapping: { chi: 'Patient', to: 'Until', appointments: 'Number' },
        commit: true,
      },
    });
    expect(mapped.body).toMatchObject({ imported: 1, errors: [] });
    expect(await t.db.selectFrom('gp_appointments').select(['chi_number', 'appointments']).execute()).toEqual([{ chi_number: CHI_A, appointments: 2 }]);
    expect((await t.request('POST', '/api/v1/gp-appointments/import', { token: t.clp.token, body: { csv: bad } })).status).toBe(403);
  });
});
