import { describe, expect, it } from 'vitest';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

/**
 * Two groups in one practice and one in another. Wanda leads the walk (group A) only. Group B
 * (the book club) and Govan's group hold people whose details must never reach her.
 */
async function twoGroupsAndALeader(t: TestApp) {
  const walk = await seedGroup(t, { name: 'Tuesday Health Walk', participantsPerLeader: 20 });
  const leader = await t.addUser(t.practice.id, 'leader', 'wanda@walks.test');
  await t.request('PATCH', `/api/v1/groups/${walk.group.id}`, { token: t.clp.token, body: { facilitatorIds: [leader.id] } });
  const person = async (body: Record<string, unknown>, groupId: number, token = t.clp.token) => {
    const p = await t.request('POST', '/api/v1/participants', { token, body: { smsConsent: true, ...body } });
    if (p.status !== 201) throw new Error(p.text);
    await t.request('POST', `/api/v1/groups/${groupId}/enrolments`, { token, body: { participantId: p.body.id } });
    return p.body.id as number;
  };
  const amira = await person(
    {
      givenName: 'Amira',
      familyName: 'Khalil',
      phone: '07700 900101',
      interpreterLanguage: 'ar',
      firstSessionSupport: 'Meet at the gate',
      emergencyContact: 'Sami (brother) 07700 900555',
      emergencyContactForLeaders: true,
    },
    walk.group.id,
  );
  const brian = await person(
    {
      givenName: 'Brian',
      familyName: 'McLeod',
      phone: '07700 900102',
      mobility: 'Walks with a stick',
      transportArranged: true,
      emergencyContact: 'Kept from leaders 07700 900666',
    },
    walk.group.id,
  );
  const club = await t.request('POST', '/api/v1/groups', {
    token: t.clp.token,
    body: {
      name: 'Secret Book Club',
      kind: 'book_club',
      venueId: walk.venueId,
      schedule: { frequency: 'weekly', weekdays: ['wed'], startTime: '14:00', durationMinutes: 60, startDate: '2027-03-03' },
    },
  });
  const zara = await person({ givenName: 'Zaraphine', familyName: 'Outofreach', phone: '07700 900199' }, club.body.id);
  const theirs = await seedGroup(t, { name: 'Govan Walk' }, t.otherAdmin.token);
  const govanPerson = await person({ givenName: 'Govanna', familyName: 'Elsewhere', phone: '07700 900299' }, theirs.group.id, t.otherAdmin.token);
  const sessionsOf = async (groupId: number, token = t.clp.token) =>
    (await t.request('GET', `/api/v1/groups/${groupId}/sessions?from=2027-03-01&to=2027-03-31`, { token })).body.items as { id: number }[];
  return {
    walk,
    leader,
    amira,
    brian,
    club: club.body,
    zara,
    theirs,
    govanPerson,
    walkSessions: await sessionsOf(walk.group.id),
    clubSessions: await sessionsOf(club.body.id),
    govanSessions: await sessionsOf(theirs.group.id, t.otherAdmin.token),
  };
}

/** Everything a leader of the walk must never read: other people's names and numbers, any phone number, the other group. */
const SECRETS = ['Zaraphine', 'Outofreach', 'Govanna', 'Elsewhere', 'Secret Book Club', 'Govan Walk', '+447700900', 'Khalil', 'McLeod', 'Kept from leaders'];

describe('group leaders', () => {
  it("a leader reads their own group's register with given names, initials, access needs and first-time marks, never a number or a family name", async () => {
    const t = await makeTestApp('2027-03-02T08:00:00Z');
    const s = await twoGroupsAndALeader(t);
    const reg = await t.request('GET', `/api/v1/sessions/${s.walkSessions[0]!.id}/register`, { token: s.leader.token });
    expect(reg.status).toBe(200);
    const amira = reg.body.entries.find((e: { participantId: number }) => e.participantId === s.amira);
    expect(amira).toMatchObject({
      givenName: 'Amira',
      familyName: null,
      familyInitial: 'K.',
      firstTime: true,
      needs: { interpreterLanguage: 'ar', mobility: null, transportArranged: false, firstSessionSupport: 'Meet at the gate' },
      emergencyContact: 'Sami (brother) 07700 900555',
    });
    const brian = reg.body.entries.find((e: { participantId: number }) => e.participantId === s.brian);
    // Brian gave an emergency contact, but not for leaders: it stays with the CLPs.
    expect(brian).toMatchObject({
      familyName: null,
      familyInitial: 'M.',
      needs: { mobility: 'Walks with a stick', transportArranged: true },
      emergencyContact: null,
    });
    for (const secret of SECRETS) expect(reg.text).not.toContain(secret);
    // The CLP reads the same register with family names.
    const clp = await t.request('GET', `/api/v1/sessions/${s.walkSessions[0]!.id}/register`, { token: t.clp.token });
    expect(clp.body.entries.find((e: { participantId: number }) => e.participantId === s.amira).familyName).toBe('Khalil');
    // After Amira came once, she is no longer "first time" the next week.
    await t.request('PUT', `/api/v1/sessions/${s.walkSessions[0]!.id}/register`, {
      token: s.leader.token,
      body: { entries: [{ participantId: s.amira, status: 'present' }] },
    });
    t.clock.set('2027-03-09T08:00:00Z');
    const next = await t.request('GET', `/api/v1/sessions/${s.walkSessions[1]!.id}/register`, { token: s.leader.token });
    expect(next.body.entries.find((e: { participantId: number }) => e.participantId === s.amira).firstTime).toBe(false);
    expect(next.body.entries.find((e: { participantId: number }) => e.participantId === s.brian).firstTime).toBe(true);
  });

  it('a leader takes the register and adds a drop-in by name in one save; someone else in the practice cannot be marked by id', async () => {
    const t = await makeTestApp('2027-03-02T09:55:00Z');
    const s = await twoGroupsAndALeader(t);
    const id = s.walkSessions[0]!.id;
    const saved = await t.request('PUT', `/api/v1/sessions/${id}/register`, {
      token: s.leader.token,
      headers: { 'idempotency-key': 'walk-1' },
      body: { entries: [{ participantId: s.amira, status: 'present' }], newPeople: [{ givenName: 'Morag', familyName: 'Dunn' }] },
    });
    expect(saved.status).toBe(200);
    const morag = saved.body.entries.find((e: { givenName: string }) => e.givenName === 'Morag');
    expect(morag).toMatchObject({ familyName: null, familyInitial: 'D.', dropIn: true, status: 'present', firstTime: true });
    // Sent again (signal came back mid-save): applied once, Morag added once.
    const again = await t.request('PUT', `/api/v1/sessions/${id}/register`, {
      token: s.leader.token,
      headers: { 'idempotency-key': 'walk-1' },
      body: { entries: [{ participantId: s.amira, status: 'present' }], newPeople: [{ givenName: 'Morag', familyName: 'Dunn' }] },
    });
    expect(again.status).toBe(200);
    const morags = await t.db.selectFrom('participants').select('id').where('given_name', '=', 'Morag').execute();
    expect(morags).toHaveLength(1);
    // The CLP finds Morag with her full name, to add her number later.
    const clp = await t.request('GET', `/api/v1/participants/${morag.participantId}`, { token: t.clp.token });
    expect(clp.body).toMatchObject({ givenName: 'Morag', familyName: 'Dunn', phone: null, smsConsent: false });
    // Zara is in the practice but not in the walk: marking her by id is refused as unknown, and nothing of her is said.
    const sneaky = await t.request('PUT', `/api/v1/sessions/${id}/register`, {
      token: s.leader.token,
      body: { entries: [{ participantId: s.zara, status: 'present', dropIn: true }] },
    });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error.details).toEqual([{ path: 'entries', message: `unknown participantId ${s.zara}` }]);
    for (const secret of SECRETS) expect(sneaky.text).not.toContain(secret);
    expect(await t.db.selectFrom('attendance').select('participant_id').where('participant_id', '=', s.zara).execute()).toEqual([]);
  });

  it('0 leaks: every route of the API, tried by a leader with the ids of another group and of another practice, answers 403 or 404 or shows nothing of theirs', async () => {
    const t = await makeTestApp('2027-03-02T09:55:00Z');
    const s = await twoGroupsAndALeader(t);
    const concern = await t.request('POST', '/api/v1/concerns', {
      token: t.clp.token,
      body: { participantId: s.zara, sessionId: s.clubSessions[0]!.id, kind: 'wellbeing', urgency: 'this_week', text: 'Zaraphine seemed low' },
    });
    expect(concern.status).toBe(201);
    const feed = await t.request('POST', '/api/v1/calendar-feeds', { token: t.clp.token, body: { scope: 'group', groupId: s.club.id } });
    const doc = (await (await t.app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const foreign = {
      'another group': { id: [s.club.id, s.clubSessions[0]!.id, s.zara, concern.body.id, feed.body.id, t.clp.id], participantId: s.zara },
      'another practice': { id: [s.theirs.group.id, s.govanSessions[0]!.id, s.govanPerson, t.otherAdmin.id], participantId: s.govanPerson },
    };
    const bodies: Record<string, unknown> = {
      'put /api/v1/sessions/{id}/register': { entries: [{ participantId: s.zara, status: 'present', dropIn: true }] },
      'post /api/v1/concerns': { participantId: s.zara, kind: 'wellbeing', urgency: 'today', text: 'x' },
      'post /api/v1/calendar-feeds': { scope: 'group', groupId: s.club.id },
    };
    let tried = 0;
    const seen: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (path.startsWith('/api/v1/auth/') || path === '/api/v1/openapi.json') continue;
      for (const method of Object.keys(ops)) {
        for (const [label, ids] of Object.entries(foreign)) {
          for (const id of path.includes('{id}') ? ids.id : [0]) {
            const url = path
              .replace('{id}', String(id))
              .replace('{participantId}', String(ids.participantId))
              .replace('{language}', 'en')
              .replace('{name}', 'reminder');
            const body = bodies[`${method} ${path}`] ?? (method === 'get' || method === 'delete' ? undefined : {});
            const res = await t.request(method.toUpperCase(), url, { token: s.leader.token, body });
            tried += 1;
            if (res.status === 403 || res.status === 404) continue;
            seen.push(`${method} ${url} (${label}) ${res.status}`);
            for (const secret of SECRETS) expect(res.text, `${method} ${url} (${label})`).not.toContain(secret);
            // Nothing of theirs changed either.
            expect(res.status, `${method} ${url}`).toBeLessThan(300 + (method === 'get' ? 0 : 200));
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(150);
    // What answered at all: lists filtered to her own, and bad input refused.
    expect(seen.filter((x) => x.startsWith('get ')).map((x) => x.split(' (')[0])).toEqual(
      expect.arrayContaining(['get /api/v1/groups', 'get /api/v1/sessions', 'get /api/v1/concerns', 'get /api/v1/calendar-feeds']),
    );
    expect((await t.request('GET', '/api/v1/groups', { token: s.leader.token })).body.items.map((g: { name: string }) => g.name)).toEqual([
      'Tuesday Health Walk',
    ]);
    const sessions = (await t.request('GET', '/api/v1/sessions?from=2027-03-01&to=2027-03-31', { token: s.leader.token })).body.items;
    expect(sessions.length).toBeGreaterThan(3);
    expect(new Set(sessions.map((x: { groupId: number }) => x.groupId))).toEqual(new Set([s.walk.group.id]));
    expect((await t.request('GET', '/api/v1/concerns', { token: s.leader.token })).body.items).toEqual([]);
    expect(await t.db.selectFrom('concerns').select('id').execute()).toHaveLength(1);
    expect(await t.db.selectFrom('calendar_feeds').select('id').execute()).toHaveLength(1);
  });

  it('records checks and training; lists those run out or running out within 30 days, and not one renewed since', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const s = await twoGroupsAndALeader(t);
    const add = (body: Record<string, unknown>, token = t.clp.token, userId = s.leader.id) =>
      t.request('POST', `/api/v1/users/${userId}/credentials`, { token, body });
    const firstAid = await add({
      kind: 'first_aid',
      label: 'Emergency First Aid at Work',
      reference: 'EFAW-1234',
      validFrom: '2024-03-20',
      expiresOn: '2027-03-19',
    });
    expect(firstAid.status).toBe(201);
    expect(firstAid.body).toEqual({
      id: expect.any(Number),
      userId: s.leader.id,
      kind: 'first_aid',
      label: 'Emergency First Aid at Work',
      reference: 'EFAW-1234',
      validFrom: '2024-03-20',
      expiresOn: '2027-03-19',
    });
    await add({ kind: 'pvg', reference: '1234 5678 9012 3456', validFrom: '2025-06-01' });
    await add({ kind: 'walk_leader', validFrom: '2023-01-10', expiresOn: '2027-02-01' });
    await add({ kind: 'other', label: 'Dog handling', validFrom: '2026-01-01', expiresOn: '2027-06-01' });
    const due = await t.request('GET', '/api/v1/credentials/due', { token: t.clp.token });
    expect(due.body.items.map((d: { kind: string; expired: boolean; userName: string }) => [d.kind, d.expired, d.userName])).toEqual([
      ['walk_leader', true, 'leader wanda'],
      ['first_aid', false, 'leader wanda'],
    ]);
    // Renewed: the old first aid is no longer due.
    await add({ kind: 'first_aid', validFrom: '2027-03-10', expiresOn: '2030-03-09' });
    expect((await t.request('GET', '/api/v1/credentials/due', { token: t.clp.token })).body.items.map((d: { kind: string }) => d.kind)).toEqual([
      'walk_leader',
    ]);
    expect((await t.request('GET', `/api/v1/users/${s.leader.id}/credentials`, { token: t.admin.token })).body.items).toHaveLength(5);
    // Refusals: a check that ends before it starts, an unknown kind, another practice's person, a leader recording their own.
    const backwards = await add({ kind: 'first_aid', validFrom: '2027-03-10', expiresOn: '2027-03-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toEqual([{ path: 'expiresOn', message: 'must be on or after validFrom' }]);
    expect((await add({ kind: 'swimming', validFrom: '2027-01-01' })).status).toBe(400);
    expect((await add({ kind: 'pvg', validFrom: '2027-01-01' }, t.clp.token, t.otherAdmin.id)).status).toBe(404);
    expect((await add({ kind: 'pvg', validFrom: '2027-01-01' }, s.leader.token)).status).toBe(403);
    expect((await t.request('GET', '/api/v1/credentials/due', { token: s.leader.token })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/credentials/due', { token: t.staff.token })).status).toBe(403);
  });

  it('concerns: a leader raises one about someone on the register; CLPs see it, acknowledge it and close it with a note; never in a text', async () => {
    const t = await makeTestApp('2027-03-02T10:30:00Z');
    const s = await twoGroupsAndALeader(t);
    const raised = await t.request('POST', '/api/v1/concerns', {
      token: s.leader.token,
      body: {
        participantId: s.amira,
        sessionId: s.walkSessions[0]!.id,
        kind: 'wellbeing',
        urgency: 'today',
        text: 'Amira cried at the gate and said she has nowhere to stay tonight',
      },
    });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ participantName: 'Amira K.', groupName: 'Tuesday Health Walk', status: 'open', raisedBy: { id: s.leader.id } });
    const clpList = await t.request('GET', '/api/v1/concerns?status=open', { token: t.clp.token });
    expect(clpList.body.items).toHaveLength(1);
    expect(clpList.body.items[0].participantName).toBe('Amira Khalil');
    // A leader cannot raise one about someone outside their groups, nor at another group's session.
    expect(
      (await t.request('POST', '/api/v1/concerns', { token: s.leader.token, body: { participantId: s.zara, kind: 'incident', urgency: 'today', text: 'x' } }))
        .status,
    ).toBe(404);
    expect(
      (
        await t.request('POST', '/api/v1/concerns', {
          token: s.leader.token,
          body: { sessionId: s.clubSessions[0]!.id, kind: 'incident', urgency: 'today', text: 'x' },
        })
      ).status,
    ).toBe(404);
    expect((await t.request('POST', '/api/v1/concerns', { token: s.leader.token, body: { kind: 'worry', urgency: 'today', text: 'x' } })).status).toBe(400);
    expect((await t.request('POST', '/api/v1/concerns', { token: s.leader.token, body: { kind: 'incident', urgency: 'today', text: '   ' } })).status).toBe(
      400,
    );
    expect((await t.request('GET', '/api/v1/concerns', { token: t.staff.token })).status).toBe(403);
    // The leader may not acknowledge or close; a close needs a note.
    const id = raised.body.id;
    expect((await t.request('PATCH', `/api/v1/concerns/${id}`, { token: s.leader.token, body: { status: 'acknowledged' } })).status).toBe(403);
    const noNote = await t.request('PATCH', `/api/v1/concerns/${id}`, { token: t.clp.token, body: { status: 'closed' } });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.details[0].path).toBe('note');
    const ack = await t.request('PATCH', `/api/v1/concerns/${id}`, { token: t.clp.token, body: { status: 'acknowledged' } });
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: t.clp.id } });
    const closed = await t.request('PATCH', `/api/v1/concerns/${id}`, {
      token: t.clp.token,
      body: { status: 'closed', note: 'Phoned the housing team; a bed found for tonight' },
    });
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: { id: t.clp.id }, note: 'Phoned the housing team; a bed found for tonight' });
    expect((await t.request('PATCH', `/api/v1/concerns/${id}`, { token: t.clp.token, body: { status: 'acknowledged' } })).status).toBe(409);
    // The leader sees what became of it; the CLP's list of open ones is empty again.
    expect((await t.request('GET', '/api/v1/concerns', { token: s.leader.token })).body.items[0].status).toBe('closed');
    expect((await t.request('GET', '/api/v1/concerns?status=open', { token: t.clp.token })).body.items).toEqual([]);
    // Never in a text; every read audited.
    expect(await t.db.selectFrom('messages').select('body').where('body', 'like', '%nowhere to stay%').execute()).toEqual([]);
    const audits = await t.db.selectFrom('audit_events').select(['action', 'entity']).where('entity', '=', 'concern').execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'list', 'update']));
  });

  it('erasing someone with an open concern asks first; the concern stays, their name goes from it', async () => {
    const t = await makeTestApp('2027-03-02T10:30:00Z');
    const s = await twoGroupsAndALeader(t);
    const raised = await t.request('POST', '/api/v1/concerns', {
      token: s.leader.token,
      body: {
        participantId: s.amira,
        sessionId: s.walkSessions[0]!.id,
        kind: 'safeguarding',
        urgency: 'today',
        text: "Amira said Khalil's brother follows her home",
      },
    });
    const first = await t.request('POST', `/api/v1/participants/${s.amira}/erase`, { token: t.admin.token });
    expect(first.status).toBe(409);
    expect(first.body.error.message).toMatch(/concern about this person is still open/);
    expect((await t.request('GET', `/api/v1/participants/${s.amira}`, { token: t.admin.token })).body.givenName).toBe('Amira');
    const erased = await t.request('POST', `/api/v1/participants/${s.amira}/erase?openConcerns=erase`, { token: t.admin.token });
    expect(erased.status).toBe(200);
    const after = await t.request('GET', `/api/v1/concerns/${raised.body.id}`, { token: t.clp.token });
    expect(after.body).toMatchObject({ participantId: s.amira, participantName: null, kind: 'safeguarding', status: 'open' });
    expect(after.body.text).toBe("[name erased] said [name erased]'s brother follows her home");
  });

  it("flags a session with more people expected than its leaders may take, no leader with first aid on the day, or its route's risk review overdue", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, venueId } = await seedGroup(t, { participantsPerLeader: 2, requiresFirstAid: true, capacity: 30 });
    expect(group).toMatchObject({ participantsPerLeader: 2, requiresFirstAid: true });
    const leader = await t.addUser(t.practice.id, 'leader', 'lead@walks.test');
    await t.request('PATCH', `/api/v1/groups/${group.id}`, { token: t.clp.token, body: { facilitatorIds: [leader.id] } });
    const ids: number[] = [];
    for (const name of ['Ann', 'Bob', 'Cat', 'Dan']) {
      const p = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: name, smsConsent: false } });
      ids.push(p.body.id);
      await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: p.body.id } });
    }
    // First aid that runs out on Monday 1 March does not cover Tuesday's walk.
    await t.request('POST', `/api/v1/users/${leader.id}/credentials`, {
      token: t.clp.token,
      body: { kind: 'first_aid', validFrom: '2024-03-01', expiresOn: '2027-03-01' },
    });
    await t.request('PATCH', `/api/v1/venues/${venueId}`, { token: t.clp.token, body: { riskAssessedOn: '2026-08-31', riskReviewMonths: 6 } });
    const venue = await t.request('GET', `/api/v1/venues/${venueId}`, { token: t.clp.token });
    expect(venue.body).toMatchObject({ riskAssessedOn: '2026-08-31', riskReviewMonths: 6, riskReviewDueOn: '2027-02-28' });
    const sessions = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-10`, { token: t.clp.token })).body.items;
    const html = async (path: string, token = t.clp.token) => (await t.app.request(path, { headers: { cookie: `clg_session=${token}` } })).text();
    const today = await html('/today');
    expect(today).toContain('4 people expected with 1 leader: at most 2 per leader, so 2 leaders needed');
    expect(today).toContain('No leader of this group holds first aid valid on 2 March 2027');
    expect(today).toContain(
      'Risk review overdue: Knightswood Park: risk assessment was due for review on 28 February 2027 (last reviewed 31 August 2026, due every 6 months)',
    );
    const sessionPage = await html(`/sessions/${sessions[0].id}`, leader.token);
    expect(sessionPage).toContain('at most 2 per leader');
    expect(sessionPage).toContain('has no current PVG record');
    expect(await html('/venues')).toContain('risk-reviews-due');
    // Two send apologies: 2 expected is within 1 × 2. First aid renewed, the route reviewed: nothing to flag.
    for (const id of ids.slice(0, 2)) {
      await t.db
        .insertInto('attendance')
        .values({
          session_id: sessions[0].id,
          participant_id: id,
          practice_id: t.practice.id,
          status: 'apologies',
          drop_in: 0,
          recorded_by: null,
          recorded_at: Date.parse('2027-03-01T08:00:00Z'),
        })
        .execute();
    }
    await t.request('POST', `/api/v1/users/${leader.id}/credentials`, {
      token: t.clp.token,
      body: { kind: 'first_aid', validFrom: '2027-02-20', expiresOn: '2030-02-19' },
    });
    await t.request('POST', `/api/v1/users/${leader.id}/credentials`, { token: t.clp.token, body: { kind: 'pvg', validFrom: '2025-06-01' } });
    await t.request('PATCH', `/api/v1/venues/${venueId}`, { token: t.clp.token, body: { riskAssessedOn: '2027-02-27' } });
    const register = await html(`/sessions/${sessions[0].id}/register`, leader.token);
    expect(register).not.toContain('data-flag=');
    expect(await html(`/sessions/${sessions[0].id}`)).not.toContain('data-flag=');
    // A review cannot be in the future.
    expect((await t.request('PATCH', `/api/v1/venues/${venueId}`, { token: t.clp.token, body: { riskAssessedOn: '2027-04-01' } })).status).toBe(400);
  });

  it('a leader is refused everything else: participants, texts, reports, exports, other groups, the practice-wide calendar', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const s = await twoGroupsAndALeader(t);
    for (const path of [
      '/api/v1/participants',
      `/api/v1/participants/${s.amira}`,
      '/api/v1/messages',
      '/api/v1/reports/impact',
      '/api/v1/reports/monitoring.csv',
      '/api/v1/follow-ups',
      '/api/v1/audit-events',
      '/api/v1/venues',
      '/api/v1/check-ins',
    ]) {
      expect((await t.request('GET', path, { token: s.leader.token })).status, path).toBe(403);
    }
    expect((await t.request('GET', `/api/v1/groups/${s.club.id}`, { token: s.leader.token })).status).toBe(404);
    expect((await t.request('POST', '/api/v1/calendar-feeds', { token: s.leader.token, body: { scope: 'practice' } })).status).toBe(403);
    const own = await t.request('POST', '/api/v1/calendar-feeds', { token: s.leader.token, body: { scope: 'facilitator' } });
    expect(own.status).toBe(201);
    const feed = await t.app.request(new URL(own.body.url).pathname);
    const ics = await feed.text();
    expect(ics).toContain('Tuesday Health Walk');
    for (const secret of SECRETS) expect(ics).not.toContain(secret);
    // Groups lists the facilitators' ids; the page of people is theirs alone.
    const page = await t.app.request('/participants', { headers: { cookie: `clg_session=${s.leader.token}` } });
    expect(page.status).toBe(403);
  });
});
