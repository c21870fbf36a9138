import { describe, expect, it } from 'vitest';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { runReminders } from '../src/sms/outbox/run-reminders.js';
import { chi, PERIOD, practiceWith, type Person } from './helpers/dose-people.js';
import { makeTestApp, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';

const same = chi('010190123');
const others = (n: number, sessions = 3): Person[] =>
  Array.from({ length: n }, (_, i) => ({ sessions, swemwbs: [18, 20 + (i % 4)] as [number, number], gp: [8, 5 + (i % 3)] as [number, number] }));

/** Two practices a year on: the period (March 2027 to February 2028) is over. */
async function twoPractices(t: TestApp, first: Person[], second: Person[]) {
  await t.db.updateTable('users').set({ programme_role: 'programme_admin' }).where('id', '=', t.admin.id).execute();
  await practiceWith(t, t.practice.id, t.clp.token, first, 1);
  await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, second, 2);
  t.clock.set('2028-03-15T12:00:00Z');
  const token = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token as string;
  /** The programme's impact report and the queries it cost, without the moment it was made. */
  return async (period = PERIOD) => {
    const budget = new QueryBudget(1_000_000);
    const res = await withQueryBudget(budget, () => t.request('GET', `/api/v1/programme/reports/impact?${period}`, { token }));
    expect(res.status).toBe(200);
    const { producedAt: _, ...report } = res.body;
    return { report, queries: budget.used };
  };
}

/** The same report worked out afresh: nothing kept. */
async function afresh(t: TestApp, ask: Awaited<ReturnType<typeof twoPractices>>) {
  await t.db.deleteFrom('kept_figures').execute();
  return (await ask()).report;
}

/** The first practice's first register mark set to `status`: a register corrected. */
async function correctMark(t: TestApp, status: 'present' | 'absent') {
  const mark = await t.db
    .selectFrom('attendance')
    .select(['session_id', 'participant_id'])
    .where('practice_id', '=', t.practice.id)
    .orderBy('session_id')
    .orderBy('participant_id')
    .executeTakeFirstOrThrow();
  await t.db.updateTable('attendance').set({ status }).where('session_id', '=', mark.session_id).where('participant_id', '=', mark.participant_id).execute();
}

const band = (bands: { band: string; people: unknown; swemwbs: unknown }[], b: string) => bands.find((x) => x.band === b)!;

describe("the programme's impact report keeps each practice's figures for a period that is over", () => {
  it('asked again, it answers the same from the figures kept, in a few queries', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await twoPractices(t, others(7), others(6, 7));
    const first = await ask();
    const again = await ask();
    expect(again.report).toEqual(first.report);
    expect(again.queries).toBeLessThan(first.queries / 2);
    expect(await t.db.selectFrom('kept_figures').select('practice_id').execute()).toHaveLength(2);
  });

  it('a register corrected, a measure taken or a GP export imported afterwards shows in the next report', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await twoPractices(t, others(7), others(6, 7));
    const before = (await ask()).report;
    // A register corrected: someone marked present was not there.
    await correctMark(t, 'absent');
    const corrected = (await ask()).report;
    expect(corrected).not.toEqual(before);
    expect(corrected).toEqual(await afresh(t, ask));
    // A follow-up SWEMWBS for someone in the second practice, taken in the period.
    const person = await t.db.selectFrom('participants').select('id').where('practice_id', '=', t.otherPractice.id).executeTakeFirstOrThrow();
    await ask();
    await t.db
      .insertInto('outcomes')
      .values({
        practice_id: t.otherPractice.id,
        participant_id: person.id,
        measure: 'swemwbs',
        taken_on: '2028-02-20',
        answers: '[5,5,5,5,5,5,5]',
        raw_score: 35,
        metric_score: 35,
        recorded_by: null,
        created_at: Date.parse('2028-02-20T10:00:00Z'),
      })
      .execute();
    const measured = (await ask()).report;
    expect(band(measured.practices[1].byDose, '6+').swemwbs).not.toEqual(band(corrected.practices[1].byDose, '6+').swemwbs);
    expect(measured).toEqual(await afresh(t, ask));
    // The first practice's GP export imported again, corrected: ten more appointments each in the year after.
    await t.db
      .updateTable('gp_appointments')
      .set((eb) => ({ appointments: eb('appointments', '+', 10) }))
      .where('practice_id', '=', t.practice.id)
      .where('period_from', '=', '2027-03-01')
      .execute();
    const imported = (await ask()).report;
    expect(imported.practices[0].gpMedianChange).not.toEqual(measured.practices[0].gpMedianChange);
    expect(imported).toEqual(await afresh(t, ask));
  });

  it("next week's sessions made by the pass leave the figures kept; a session added for a day already past does not", async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await twoPractices(t, others(7), others(6, 7));
    const first = await ask();
    const session = await t.db.selectFrom('sessions').selectAll().where('practice_id', '=', t.practice.id).orderBy('starts_at').executeTakeFirstOrThrow();
    const now = t.clock.now().getTime();
    const add = (startsAt: number, uid: string) =>
      t.db
        .insertInto('sessions')
        .values({ ...session, id: undefined, uid, occurrence_date: null, starts_at: startsAt, ends_at: startsAt + 3600_000, created_at: now, updated_at: now })
        .execute();
    await add(now + 7 * 86_400_000, 'next-week');
    const again = await ask();
    expect(again.queries).toBeLessThan(first.queries / 2);
    expect(again.report).toEqual(first.report);
    await add(Date.parse('2027-06-01T09:00:00Z'), 'last-june');
    const added = (await ask()).report;
    expect(added.practices[0].sessionsHeld).toBe(first.report.practices[0].sessionsHeld + 1);
    expect(added).toEqual(await afresh(t, ask));
  });

  it('someone added later in another practice with the same CHI number is one person in the pooled bands', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await twoPractices(t, [{ sessions: 2, chi: same, swemwbs: [20, 24] }, ...others(6, 2)], others(6, 2));
    expect(band((await ask()).report.programme.byDose, '2').people).toBe(13);
    // The second practice registers the same person, who came twice there too: 2 + 2 sessions, once, in 3-5.
    t.clock.set('2027-02-01T09:00:00Z');
    await practiceWith(t, t.otherPractice.id, t.otherAdmin.token, [{ sessions: 2, chi: same }], 3);
    t.clock.set('2028-03-15T12:00:00Z');
    const after = (await ask()).report;
    expect(band(after.programme.byDose, '2').people).toBe(12);
    expect(after).toEqual(await afresh(t, ask));
  });

  it('an erasure takes the practice’s kept figures with it', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await twoPractices(t, others(7), others(6, 7));
    await ask();
    const person = await t.db.selectFrom('participants').select('id').where('practice_id', '=', t.practice.id).executeTakeFirstOrThrow();
    const token = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token;
    const erased = await t.request('POST', `/api/v1/participants/${person.id}/erase`, { token });
    expect(erased.status).toBe(200);
    expect(await t.db.selectFrom('kept_figures').select('practice_id').execute()).toEqual([{ practice_id: t.otherPractice.id }]);
  });

  it('the reminder pass works out again the figures a change made stale, so the next report reads them all kept; figures nobody asked for in three months go', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await twoPractices(t, others(7), others(6, 7));
    const first = await ask();
    await correctMark(t, 'absent');
    const pass = () => runReminders({ db: t.db, sms: t.sms, clock: t.clock, templates: t.templates });
    // Not while a text is on its way: on Workers the sending and this share one database.
    const now = t.clock.now().getTime();
    const text = await t.db
      .insertInto('messages')
      .values({
        direction: 'outbound',
        kind: 'reminder',
        body: 'See you at the walk',
        status: 'sending',
        due_at: now,
        lease_until: now + 600_000,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await pass();
    expect((await ask()).queries).toBeGreaterThan(first.queries / 2);
    await t.db.updateTable('messages').set({ status: 'sent', sent_at: now }).where('id', '=', text.id).execute();
    await correctMark(t, 'present');
    await correctMark(t, 'absent');
    await pass();
    const next = await ask();
    expect(next.queries).toBeLessThan(first.queries / 2);
    expect(next.report).not.toEqual(first.report);
    expect(next.report).toEqual(await afresh(t, ask));
    // Three months and more later, with nobody asking: gone.
    t.clock.set('2028-06-20T12:00:00Z');
    await pass();
    expect(await t.db.selectFrom('kept_figures').select('practice_id').execute()).toEqual([]);
  });
});

describe('a period still running is kept while the clock has not moved past anything it counts', () => {
  /** The two practices' walks (Tuesdays, 10:00 London) from 2 March 2027, the report asked for the year to February 2028 at `at`. */
  async function running(t: TestApp, people = others(7)) {
    const ask = await twoPractices(t, people, others(6, 7));
    return async (at: string) => {
      t.clock.set(at);
      return ask();
    };
  }
  const fresh = async (t: TestApp, report: unknown) => {
    await t.db.deleteFrom('kept_figures').execute();
    const token = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token;
    const res = await t.request('GET', `/api/v1/programme/reports/impact?${PERIOD}`, { token });
    const { producedAt: _, ...again } = res.body;
    expect(report).toEqual(again);
  };

  it('asked again the same afternoon, it reads the figures kept', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await running(t);
    const first = await ask('2027-04-01T12:00:00Z');
    const again = await ask('2027-04-01T18:00:00Z');
    expect(again.queries).toBeLessThan(first.queries / 2);
    expect(again.report).toEqual(first.report);
    await fresh(t, again.report);
  });

  it("is worked out again once someone's fourth week since their first session comes, though no session started", async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await running(t);
    // First sessions on 2 March at 10:00 GMT: four weeks (less two hours for the clock change) is 08:00 UTC on 30 March, the walk at 09:00 UTC.
    const before = await ask('2027-03-30T07:00:00Z');
    expect(before.report.practices[0].retention4WeeksRate).toBeNull();
    const after = await ask('2027-03-30T08:30:00Z');
    expect(after.report.practices[0].retention4WeeksRate).not.toBeNull();
    await fresh(t, after.report);
  });

  it('is worked out again once a session has started, one added since included', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await running(t);
    const morning = await ask('2027-03-30T08:30:00Z');
    const held = (await ask('2027-03-30T09:30:00Z')).report;
    expect(held.practices[0].sessionsHeld).toBe(morning.report.practices[0].sessionsHeld + 1);
    await fresh(t, held);
    // A session added for this afternoon (the pass adds sessions ahead without changing any figure) counts once it has begun.
    await ask('2027-03-30T10:00:00Z');
    const session = await t.db.selectFrom('sessions').selectAll().where('practice_id', '=', t.practice.id).orderBy('starts_at').executeTakeFirstOrThrow();
    const at = Date.parse('2027-03-30T14:00:00Z');
    await t.db
      .insertInto('sessions')
      .values({ ...session, id: undefined, uid: 'extra', occurrence_date: null, starts_at: at, ends_at: at + 3600_000, created_at: at - 4 * 3600_000 })
      .execute();
    expect((await ask('2027-03-30T13:00:00Z')).report).toEqual(held);
    const extra = (await ask('2027-03-30T15:00:00Z')).report;
    expect(extra.practices[0].sessionsHeld).toBe(held.practices[0].sessionsHeld + 1);
    await fresh(t, extra);
  });

  it("is worked out again when the practice's day changes: a measure dated tomorrow counts from midnight", async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await running(t);
    const people = await t.db.selectFrom('participants').select('id').where('practice_id', '=', t.practice.id).execute();
    for (const p of people)
      await t.db
        .insertInto('outcomes')
        .values({
          practice_id: t.practice.id,
          participant_id: p.id,
          measure: 'swemwbs',
          answers: '[]',
          raw_score: null,
          metric_score: 27,
          taken_on: '2027-04-29',
          recorded_by: null,
          created_at: 0,
        })
        .execute();
    // 23:00 in London on 28 April, then half past midnight on the 29th.
    const evening = await ask('2027-04-28T22:00:00Z');
    const night = await ask('2027-04-28T23:30:00Z');
    expect(night.report.practices[0].swemwbsPeople).not.toEqual(evening.report.practices[0].swemwbsPeople);
    await fresh(t, night.report);
  });

  it('under a query budget (D1) with no room to keep them, the report still answers, unkept', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await running(t);
    const kept = await ask('2027-04-01T12:00:00Z');
    const token = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token;
    // Each budget from enough to keep them down to what the report needs without keeping them (the write and its "until").
    for (let budget = kept.queries; budget >= kept.queries - 2; budget--) {
      await t.db.deleteFrom('kept_figures').execute();
      const res = await withQueryBudget(new QueryBudget(budget), () => t.request('GET', `/api/v1/programme/reports/impact?${PERIOD}`, { token }));
      expect({ budget, status: res.status }).toEqual({ budget, status: 200 });
    }
  });

  it('the reminder pass works out again what a session starting made untrue, so the next report reads it kept', async () => {
    const t = await makeTestApp('2027-02-01T09:00:00Z');
    const ask = await running(t);
    const first = await ask('2027-03-30T08:30:00Z');
    t.clock.set('2027-03-30T09:30:00Z');
    await runReminders({ db: t.db, sms: t.sms, clock: t.clock, templates: t.templates });
    const next = await ask('2027-03-30T09:30:00Z');
    expect(next.queries).toBeLessThan(first.queries / 2);
    expect(next.report.practices[0].sessionsHeld).toBe(first.report.practices[0].sessionsHeld + 1);
    await fresh(t, next.report);
  });
});
