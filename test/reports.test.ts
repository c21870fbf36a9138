import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

/** A, B and C in a Tuesday walk from March to June 2027, with a cancelled week and a headcount. */
async function season(t: TestApp) {
  const { group } = await seedGroup(t);
  const ids: number[] = [];
  for (const [n, name] of ['Amira', 'Brian', 'Chloe'].entries()) {
    const p = await t.request('POST', '/api/v1/participants', {
      token: t.clp.token,
      body: { givenName: name, phone: `07700 90020${n}`, smsConsent: true, gender: n === 1 ? 'male' : 'female' },
    });
    ids.push(p.body.id);
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, {
      token: t.clp.token,
      body: { participantId: p.body.id, referralSource: 'gp', referralReason: 'Social isolation' },
    });
  }
  const sessions: { id: number; startsAt: string }[] = (
    await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-06-30`, { token: t.clp.token })
  ).body.items;
  const on = (date: string) => sessions.find((s) => s.startsAt.startsWith(date))!.id;
  await t.request('PATCH', `/api/v1/sessions/${on('2027-03-09')}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Storm' } });
  t.clock.set('2027-07-01T09:00:00Z');
  const [a, b, c] = ids as [number, number, number];
  const registers: [string, [number, string][], number?][] = [
    [
      '2027-03-02',
      [
        [a, 'present'],
        [b, 'late'],
        [c, 'absent'],
      ],
    ],
    [
      '2027-03-16',
      [
        [a, 'present'],
        [b, 'apologies'],
        [c, 'absent'],
      ],
      2,
    ],
    ['2027-04-06', [[a, 'present']]],
    ['2027-06-01', [[a, 'late']]],
  ];
  for (const [date, entries, headcount] of registers) {
    const res = await t.request('PUT', `/api/v1/sessions/${on(date)}/register`, {
      token: t.clp.token,
      body: { entries: entries.map(([participantId, status]) => ({ participantId, status })), ...(headcount !== undefined && { headcount }) },
    });
    if (res.status !== 200) throw new Error(res.text);
  }
  return { group, ids };
}

describe('attendance reports', () => {
  it('counts sessions, attendances, rates, enrolments and retention for a group and its people', async () => {
    const t = await makeTestApp();
    const { group, ids } = await season(t);
    const res = await t.request('GET', '/api/v1/reports/attendance?from=2027-03-01&to=2027-06-30', { token: t.admin.token });
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      {
        groupId: group.id,
        name: 'Tuesday Health Walk',
        kind: 'health_walk',
        sessionsDelivered: 17,
        sessionsCancelled: 1,
        uniqueParticipants: 2,
        attendances: 5,
        unnamedHeadcount: 2,
        averageAttendance: 0.41,
        attendanceRate: 0.63,
        newEnrolments: 3,
        retention4Weeks: { started: 2, stillAttending: 1, rate: 0.5 },
        retention12Weeks: { started: 2, stillAttending: 1, rate: 0.5 },
      },
    ]);
    expect(res.body.participants).toEqual([
      {
        participantId: ids[0],
        name: 'Amira',
        groupId: group.id,
        sessionsAttended: 4,
        firstAttendance: '2027-03-02T10:00:00+00:00',
        lastAttendance: '2027-06-01T10:00:00+01:00',
      },
      {
        participantId: ids[1],
        name: 'Brian',
        groupId: group.id,
        sessionsAttended: 1,
        firstAttendance: '2027-03-02T10:00:00+00:00',
        lastAttendance: '2027-03-02T10:00:00+00:00',
      },
    ]);
  });

  it('a narrower period counts only its own sessions', async () => {
    const t = await makeTestApp();
    await season(t);
    const res = await t.request('GET', '/api/v1/reports/attendance?from=2027-04-01&to=2027-04-30', { token: t.clp.token });
    expect(res.body.groups[0]).toMatchObject({ sessionsDelivered: 4, sessionsCancelled: 0, attendances: 1, uniqueParticipants: 1, newEnrolments: 0 });
    expect(res.body.participants.map((p: { name: string }) => p.name)).toEqual(['Amira']);
  });

  it('downloads the same figures as CSV, per group and per participant', async () => {
    const t = await makeTestApp();
    await season(t);
    const res = await t.request('GET', '/api/v1/reports/attendance.csv?from=2027-03-01&to=2027-06-30', { token: t.admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('attendance-2027-03-01-to-2027-06-30.csv');
    const [header, row] = res.text.trim().split('\r\n');
    expect(header).toBe(
      'groupId,name,kind,sessionsDelivered,sessionsCancelled,uniqueParticipants,attendances,unnamedHeadcount,averageAttendance,attendanceRate,newEnrolments,retention4WeeksRate,retention12WeeksRate',
    );
    expect(row).toMatch(/,Tuesday Health Walk,health_walk,17,1,2,5,2,0.41,0.63,3,0.5,0.5$/);
    const people = await t.request('GET', '/api/v1/reports/attendance.csv?from=2027-03-01&to=2027-06-30&view=participants', { token: t.admin.token });
    expect(people.text.split('\r\n')[1]).toMatch(/,Amira,\d+,4,/);
  });

  it('exports Links Worker Programme monitoring rows without names or numbers', async () => {
    const t = await makeTestApp();
    await t.db.updateTable('practices').set({ code: '43210' }).where('id', '=', t.practice.id).execute();
    const { ids } = await season(t);
    // The programme's own pseudonymous ID, unique in the practice.
    expect((await t.request('PATCH', `/api/v1/participants/${ids[0]}`, { token: t.clp.token, body: { programmeId: 'P1000' } })).body.programmeId).toBe('P1000');
    const taken = await t.request('PATCH', `/api/v1/participants/${ids[1]}`, { token: t.clp.token, body: { programmeId: 'P1000' } });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'conflict']);
    expect((await t.request('PATCH', `/api/v1/participants/${ids[1]}`, { token: t.clp.token, body: { programmeId: 'P-10 00' } })).status).toBe(400);
    // Another practice may use the same ID for its own people.
    const theirs = await t.request('POST', '/api/v1/participants', {
      token: t.otherAdmin.token,
      body: { givenName: 'Zara', smsConsent: false, programmeId: 'P1000' },
    });
    expect(theirs.status).toBe(201);
    const res = await t.request('GET', '/api/v1/reports/monitoring', { token: t.admin.token });
    expect(res.body.items).toHaveLength(3);
    expect(res.body.items[0]).toMatchObject({
      practiceCode: '43210',
      participantRef: `P${String(ids[0]).padStart(6, '0')}`,
      programmeId: 'P1000',
      gender: 'female',
      referralRoute: 'gp',
      referralReason: 'Social isolation',
      programme: 'Physical activity / health walk',
      sessionsAttended: 4,
    });
    const csv = await t.request('GET', '/api/v1/reports/monitoring.csv', { token: t.admin.token });
    expect(csv.text).not.toMatch(/Amira|Brian|Chloe|7700/);
    expect(csv.text.split('\r\n')[0]).toContain('practiceCode,practiceName,participantRef,programmeId,gender,referralRoute,referralReason,programme');
    expect(csv.text).toContain(',P1000,');
  });

  it('rejects a backwards period and bad dates with 400', async () => {
    const t = await makeTestApp();
    expect((await t.request('GET', '/api/v1/reports/attendance?from=2027-06-01&to=2027-03-01', { token: t.admin.token })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/reports/attendance?from=yesterday', { token: t.admin.token })).status).toBe(400);
  });
});

describe('GDPR: export and erasure', () => {
  it('exports everything held about a person, and logs that it did', async () => {
    const t = await makeTestApp();
    const { ids } = await season(t);
    const res = await t.request('GET', `/api/v1/participants/${ids[0]}/export`, { token: t.clp.token });
    expect(res.status).toBe(200);
    expect(res.body.participant).toMatchObject({ givenName: 'Amira', phone: '+447700900200' });
    expect(res.body.enrolments).toEqual([
      expect.objectContaining({ groupName: 'Tuesday Health Walk', status: 'active', referralSource: 'gp', referralReason: 'Social isolation' }),
    ]);
    expect(res.body.attendance.map((a: { status: string }) => a.status)).toEqual(['present', 'present', 'present', 'late']);
    expect(res.body.accessLog.map((a: { action: string }) => a.action)).toContain('create');
    const log = await t.request('GET', `/api/v1/audit-events?participantId=${ids[0]}`, { token: t.admin.token });
    expect(log.body.items[0].action).toBe('export');
  });

  it('erasure removes identifying details but keeps the anonymous counts, and frees the place', async () => {
    const t = await makeTestApp();
    const { group, ids } = await season(t);
    const before = (await t.request('GET', '/api/v1/reports/attendance?from=2027-03-01&to=2027-06-30', { token: t.admin.token })).body.groups[0];
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { capacity: 3 } });
    const waiting = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: 'Dan', smsConsent: false } });
    expect(
      (await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: waiting.body.id } })).body.status,
    ).toBe('waitlisted');

    expect((await t.request('POST', `/api/v1/participants/${ids[0]}/erase`, { token: t.clp.token })).status).toBe(403);
    const erased = await t.request('POST', `/api/v1/participants/${ids[0]}/erase`, { token: t.admin.token });
    expect(erased.status).toBe(200);

    const row = await t.db.selectFrom('participants').selectAll().where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect([row.given_name, row.family_name, row.phone, row.access_needs, row.preferred_language]).toEqual([null, null, null, null, null]);
    const enrolment = await t.db.selectFrom('enrolments').selectAll().where('participant_id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(enrolment).toMatchObject({ status: 'withdrawn', referral_reason: null });
    expect((await t.request('GET', `/api/v1/participants/${ids[0]}`, { token: t.admin.token })).body).toMatchObject({ id: ids[0], erased: true });
    expect((await t.request('GET', '/api/v1/participants?q=Amira', { token: t.admin.token })).body.items).toEqual([]);
    const after = (await t.request('GET', '/api/v1/reports/attendance?from=2027-03-01&to=2027-06-30', { token: t.admin.token })).body;
    expect(after.groups[0]).toMatchObject({
      attendances: before.attendances,
      uniqueParticipants: before.uniqueParticipants,
      sessionsDelivered: before.sessionsDelivered,
    });
    expect(after.participants[0].name).toBe('(erased)');
    const enrolled = await t.request('GET', `/api/v1/groups/${group.id}/enrolments?status=active`, { token: t.clp.token });
    expect(enrolled.body.items.map((e: { participantId: number }) => e.participantId)).toContain(waiting.body.id);

    expect((await t.request('POST', `/api/v1/participants/${ids[0]}/erase`, { token: t.admin.token })).status).toBe(409);
    expect((await t.request('PATCH', `/api/v1/participants/${ids[0]}`, { token: t.admin.token, body: { givenName: 'Back' } })).status).toBe(409);
    const log = await t.request('GET', `/api/v1/audit-events?participantId=${ids[0]}`, { token: t.admin.token });
    expect(log.body.items.map((e: { action: string }) => e.action)).toContain('erase');
  });
});

describe('practice settings', () => {
  it('an admin sets the practice code that the monitoring export carries; others cannot', async () => {
    const t = await makeTestApp();
    expect((await t.request('GET', '/api/v1/practice', { token: t.staff.token })).body).toMatchObject({
      name: 'Possilpark Health Centre',
      code: null,
      timezone: 'Europe/London',
    });
    expect((await t.request('PATCH', '/api/v1/practice', { token: t.clp.token, body: { code: '43210' } })).status).toBe(403);
    expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { code: '43 210; --' } })).status).toBe(400);
    expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: {} })).status).toBe(400);
    const res = await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { code: '43210' } });
    expect(res.body).toMatchObject({ name: 'Possilpark Health Centre', code: '43210' });
    expect((await t.request('GET', '/api/v1/practice', { token: t.otherAdmin.token })).body.code).toBeNull();
  });
});
