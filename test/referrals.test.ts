import { describe, expect, it } from 'vitest';
import { outbox, pass } from './helpers/sms-setup.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

const CHI = '0101901232';

/** A GP practice's receptionist refers Amira to the health walk, with both consents. */
async function referAmira(t: TestApp, extra: Record<string, unknown> = {}) {
  const { group } = await seedGroup(t);
  const res = await t.request('POST', '/api/v1/referrals', {
    token: t.staff.token,
    body: {
      person: { givenName: 'Amira', familyName: 'Haddad', phone: '07700 900123', smsConsent: true, chiNumber: CHI, preferredLanguage: 'ar' },
      reason: 'Lonely since moving here; low mood',
      needs: ['loneliness', 'physical activity'],
      suggestedGroupId: group.id,
      consent: { toBeReferred: true, shareWithReferrer: true },
      referrer: { name: 'Dr Morag Kerr', organisation: 'Possilpark Health Centre' },
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return { group, referral: res.body };
}

const move = (t: TestApp, id: number, body: Record<string, unknown>, token = t.clp.token) => t.request('PATCH', `/api/v1/referrals/${id}`, { token, body });
const sessionsOf = async (t: TestApp, groupId: number) =>
  (await t.request('GET', `/api/v1/groups/${groupId}/sessions?from=2027-03-01&to=2027-06-30`, { token: t.clp.token })).body.items as {
    id: number;
    startsAt: string;
  }[];

describe('a referral from the GP practice to a group, and back', () => {
  it('walks from a staff member\'s referral to "attended", with who and when at each step, and the welcome text', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, referral } = await referAmira(t);
    expect(referral).toMatchObject({
      status: 'received',
      givenName: 'Amira',
      receivedAt: '2027-03-01T09:00:00+00:00',
      needs: ['loneliness', 'physical activity'],
    });
    expect(JSON.stringify(referral)).not.toContain('900123');
    expect(JSON.stringify(referral)).not.toContain(CHI);
    // The CLP sees it as new on Today's count, and in the list.
    const list = await t.request('GET', '/api/v1/referrals?status=received', { token: t.clp.token });
    expect(list.body.items.map((r: any) => r.id)).toEqual([referral.id]);

    t.clock.set('2027-03-01T11:00:00Z');
    const accepted = await move(t, referral.id, { status: 'accepted' });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', groupId: group.id, groupName: 'Tuesday Health Walk' });
    const enrolments = await t.request('GET', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token });
    expect(enrolments.body.items).toMatchObject([{ participantId: referral.participantId, status: 'active', referralSource: 'gp' }]);
    await pass(t);
    expect((await outbox(t, 'welcome')).map((m) => m.participant_id)).toEqual([referral.participantId]);

    t.clock.set('2027-03-01T12:00:00Z');
    expect((await move(t, referral.id, { status: 'contacted', reason: 'Phoned; will come with her neighbour' })).body.status).toBe('contacted');
    // Absent the first week changes nothing; present the second makes it "attended" by itself.
    const [first, second] = await sessionsOf(t, group.id);
    t.clock.set('2027-03-02T10:30:00Z');
    await t.request('PUT', `/api/v1/sessions/${first!.id}/register`, {
      token: t.clp.token,
      body: { entries: [{ participantId: referral.participantId, status: 'absent' }] },
    });
    t.clock.set('2027-03-09T10:20:00Z');
    await t.request('PUT', `/api/v1/sessions/${second!.id}/register`, {
      token: t.clp.token,
      body: { entries: [{ participantId: referral.participantId, status: 'late' }] },
    });
    const seen = await t.request('GET', `/api/v1/referrals/${referral.id}`, { token: t.staff.token });
    expect(seen.body.status).toBe('attended');
    expect(seen.body.history.map((h: any) => [h.status, h.by?.id ?? null, h.at])).toEqual([
      ['received', t.staff.id, '2027-03-01T09:00:00+00:00'],
      ['accepted', t.clp.id, '2027-03-01T11:00:00+00:00'],
      ['contacted', t.clp.id, '2027-03-01T12:00:00+00:00'],
      ['attended', t.clp.id, '2027-03-09T10:20:00+00:00'],
    ]);
    // The CLP's note on a step is for CLPs: the receptionist who referred sees the step, not the note.
    expect(seen.body.history[2].reason).toBeUndefined();
    const asClp = await t.request('GET', `/api/v1/referrals/${referral.id}`, { token: t.clp.token });
    expect(asClp.body.history[2].reason).toBe('Phoned; will come with her neighbour');
    // Closed at the end; nothing after it.
    expect((await move(t, referral.id, { status: 'closed' })).body.status).toBe('closed');
    expect((await move(t, referral.id, { status: 'contacted' })).status).toBe(409);
  });

  it('declined needs a reason, and the path is kept: each out-of-order move is refused and changes nothing', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { referral } = await referAmira(t);
    const noReason = await move(t, referral.id, { status: 'declined' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'reason' })]));
    for (const status of ['contacted', 'closed']) {
      const r = await move(t, referral.id, { status });
      expect(r.status, status).toBe(409);
      expect(r.body.error.details.allowed).toEqual(['accepted', 'declined']);
    }
    const declined = await move(t, referral.id, { status: 'declined', reason: 'She would rather have one-to-one support' });
    expect(declined.body).toMatchObject({ status: 'declined' });
    expect((await move(t, referral.id, { status: 'accepted' })).status).toBe(409);
    const r = await t.request('GET', `/api/v1/referrals/${referral.id}`, { token: t.clp.token });
    expect(r.body.history.map((h: any) => h.status)).toEqual(['received', 'declined']);
    const reply = await t.request('GET', `/api/v1/referrals/${referral.id}/reply`, { token: t.staff.token });
    expect(reply.body).toMatchObject({ status: 'declined', sessionsAttended: 0 });
    expect(reply.body.statusText).toBe('Referral declined on 1 Mar 2027: She would rather have one-to-one support.');
    expect(reply.body.groupName).toBeUndefined();
  });

  it("refuses a referral without consent to be referred (422) and writes nothing; staff cannot move one on or read others'", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('participants')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const consent of [undefined, { toBeReferred: false, shareWithReferrer: true }]) {
      const r = await t.request('POST', '/api/v1/referrals', {
        token: t.staff.token,
        body: { person: { givenName: 'Brian' }, reason: 'Chronic pain, isolated', ...(consent && { consent }) },
      });
      expect(r.status).toBe(422);
      expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'consent.toBeReferred' })]);
    }
    expect(await count()).toBe(before);
    expect(await t.db.selectFrom('referrals').selectAll().execute()).toEqual([]);
    // Bad input is a 400 with the fields named.
    const bad = await t.request('POST', '/api/v1/referrals', {
      token: t.staff.token,
      body: { person: { givenName: '' }, reason: '', consent: { toBeReferred: true } },
    });
    expect(bad.status).toBe(400);

    const { referral } = await referAmira(t);
    expect((await move(t, referral.id, { status: 'accepted' }, t.staff.token)).status).toBe(403);
    // Another staff member sees neither the referral nor its reply; another practice neither.
    const other = await t.addUser(t.practice.id, 'staff', 'reception2@possil.test');
    expect((await t.request('GET', '/api/v1/referrals', { token: other.token })).body.items).toEqual([]);
    expect((await t.request('GET', `/api/v1/referrals/${referral.id}`, { token: other.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/referrals/${referral.id}/reply`, { token: other.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/referrals/${referral.id}`, { token: t.otherAdmin.token })).status).toBe(404);
    expect((await move(t, referral.id, { status: 'accepted' }, t.otherAdmin.token)).status).toBe(404);
    // Staff refer by details, never by a participant's id (that would read names they may not see).
    const byId = await t.request('POST', '/api/v1/referrals', {
      token: t.staff.token,
      body: { participantId: referral.participantId, reason: 'Again', consent: { toBeReferred: true } },
    });
    expect(byId.status).toBe(403);
    // A leader has no business here.
    const leader = await t.addUser(t.practice.id, 'leader', 'leader@possil.test');
    expect((await t.request('GET', '/api/v1/referrals', { token: leader.token })).status).toBe(403);
  });

  it('a referral naming a CHI number the practice knows is about that person, not a duplicate', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { referral } = await referAmira(t);
    const again = await t.request('POST', '/api/v1/referrals', {
      token: t.clp.token,
      body: { person: { givenName: 'Amira', chiNumber: '010 190 1232' }, reason: 'Book club too', consent: { toBeReferred: true } },
    });
    expect(again.status).toBe(201);
    expect(again.body.participantId).toBe(referral.participantId);
    expect(again.body.referrer).toMatchObject({ userId: t.clp.id, name: 'clp clp' });
  });

  it('the message back: group, first session, sessions and last attended, and SWEMWBS only when the person agreed', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group, referral } = await referAmira(t);
    const private_ = (
      await t.request('POST', '/api/v1/referrals', {
        token: t.staff.token,
        body: { person: { givenName: 'Chloe' }, reason: 'Anxiety', suggestedGroupId: group.id, consent: { toBeReferred: true, shareWithReferrer: false } },
      })
    ).body;
    t.clock.set('2027-03-01T10:00:00Z');
    await move(t, referral.id, { status: 'accepted', groupId: group.id });
    await move(t, private_.id, { status: 'accepted', groupId: group.id });
    const before = await t.request('GET', `/api/v1/referrals/${referral.id}/reply`, { token: t.staff.token });
    expect(before.body).toMatchObject({ status: 'accepted', groupName: 'Tuesday Health Walk', firstSessionOn: '2027-03-02', sessionsAttended: 0 });
    expect(before.body.statusText).toBe(
      'Accepted on 1 Mar 2027 and given a place at Tuesday Health Walk; their first session is on 2 Mar 2027. Not yet attended.',
    );
    const sessions = await sessionsOf(t, group.id);
    for (const s of sessions.slice(0, 3)) {
      t.clock.set(new Date(Date.parse(s.startsAt) + 30 * 60_000).toISOString());
      await t.request('PUT', `/api/v1/sessions/${s.id}/register`, {
        token: t.clp.token,
        body: {
          entries: [
            { participantId: referral.participantId, status: 'present' },
            { participantId: private_.participantId, status: 'present' },
          ],
        },
      });
    }
    for (const p of [referral.participantId, private_.participantId]) {
      await t.request('POST', `/api/v1/participants/${p}/outcomes`, {
        token: t.clp.token,
        body: { measure: 'swemwbs', answers: [2, 2, 3, 2, 2, 3, 2], takenOn: '2027-03-02' },
      });
      await t.request('POST', `/api/v1/participants/${p}/outcomes`, {
        token: t.clp.token,
        body: { measure: 'swemwbs', answers: [3, 3, 4, 3, 3, 4, 3], takenOn: '2027-03-16' },
      });
    }
    const shared = await t.request('GET', `/api/v1/referrals/${referral.id}/reply`, { token: t.staff.token });
    expect(shared.body).toMatchObject({
      status: 'attended',
      firstSessionOn: '2027-03-02',
      sessionsAttended: 3,
      lastAttendedOn: '2027-03-16',
      wellbeing: { measure: 'swemwbs', first: { takenOn: '2027-03-02' }, latest: { takenOn: '2027-03-16' } },
    });
    expect(shared.body.wellbeing.latest.score).toBeGreaterThan(shared.body.wellbeing.first.score);
    expect(shared.body.statusText).toBe('Taking part: came to 3 sessions of Tuesday Health Walk, most recently on 16 Mar 2027.');
    const notShared = await t.request('GET', `/api/v1/referrals/${private_.id}/reply`, { token: t.staff.token });
    expect(notShared.body).toMatchObject({ status: 'attended', sessionsAttended: 3 });
    expect(notShared.body.wellbeing).toBeUndefined();
    // Reading the reply is audited against the person.
    const audited = await t.db.selectFrom('audit_events').select(['entity', 'participant_id']).where('entity', '=', 'referral_reply').execute();
    expect(audited).toContainEqual({ entity: 'referral_reply', participant_id: referral.participantId });
  });

  it('the coded events CSV for the GP record, for admins only', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { referral } = await referAmira(t);
    const second = await t.request('POST', '/api/v1/referrals', {
      token: t.staff.token,
      body: { person: { givenName: 'Brian', chiNumber: '0202902234' }, reason: 'Pain', consent: { toBeReferred: true } },
    });
    t.clock.set('2027-03-31T23:30:00Z'); // 1 April in Glasgow (BST)
    await move(t, referral.id, { status: 'accepted' });
    await move(t, second.body.id, { status: 'declined', reason: 'Moved away' });
    expect((await t.request('GET', '/api/v1/referrals/events.csv', { token: t.clp.token })).status).toBe(403);
    const csv = await t.request('GET', '/api/v1/referrals/events.csv?from=2027-03-01&to=2027-04-30', { token: t.admin.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text).toBe(
      'date,chiNumber,snomedCode,term\r\n' +
        `2027-04-01,${CHI},871731000000106,Referral to social prescribing service\r\n` +
        '2027-04-01,0202902234,871711000000103,Social prescribing declined\r\n',
    );
    const march = await t.request('GET', '/api/v1/referrals/events.csv?from=2027-03-01&to=2027-03-31', { token: t.admin.token });
    expect(march.text).toBe('date,chiNumber,snomedCode,term\r\n');
  });

  it('erasure takes the person and their words from their referrals, and keeps the counts', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { referral } = await referAmira(t);
    await move(t, referral.id, { status: 'declined', reason: 'Amira Haddad prefers her own GP' });
    const erased = await t.request('POST', `/api/v1/participants/${referral.participantId}/erase`, { token: t.admin.token });
    expect(erased.status, erased.text).toBeLessThan(300);
    const r = await t.request('GET', `/api/v1/referrals/${referral.id}`, { token: t.clp.token });
    expect(r.body).toMatchObject({ status: 'declined', givenName: null, familyName: null, reason: null, needs: [] });
    expect(JSON.stringify(r.body)).not.toContain('Amira');
    const csv = await t.request('GET', '/api/v1/referrals/events.csv?from=2027-03-01&to=2027-03-31', { token: t.admin.token });
    expect(csv.text).toBe('date,chiNumber,snomedCode,term\r\n2027-03-01,,871711000000103,Social prescribing declined\r\n');
    const impact = await t.request('GET', '/api/v1/reports/impact?from=2027-03-01&to=2027-03-31', { token: t.admin.token });
    expect(impact.body.referrals).toMatchObject({ received: 1, accepted: 0, declined: 1, attended: 0 });
  });

  it('someone accepted who misses their first session is on the follow-ups list with a link to their referral', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { referral } = await referAmira(t);
    await move(t, referral.id, { status: 'accepted' });
    t.clock.set('2027-03-02T12:00:00Z');
    const list = await t.request('GET', '/api/v1/follow-ups', { token: t.clp.token });
    expect(list.body.items).toMatchObject([{ participantId: referral.participantId, reason: 'missed_first', referralId: referral.id }]);
  });

  it("the person's own export includes their referrals", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { referral } = await referAmira(t);
    const doc = await t.request('GET', `/api/v1/participants/${referral.participantId}/export`, { token: t.clp.token });
    expect(doc.body.referrals).toMatchObject([{ id: referral.id, reason: 'Lonely since moving here; low mood', status: 'received' }]);
  });
});
