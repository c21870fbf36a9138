import { seedGroup, type TestApp } from './test-app.js';

/** A CHI number with its modulus-11 check digit, from nine digits (day, month, year, serial). */
export function chi(nine: string): string {
  const sum = [...nine].reduce((n, d, i) => n + Number(d) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  if (check === 10) throw new Error(`no CHI ends ${nine}`);
  return nine + check;
}

let serial = 100;
/** The next CHI number with a check digit, for as many people as a test needs (one serial in eleven has none). */
export function nextChi(): string {
  for (;;) {
    try {
      return chi(`020285${String(serial++).padStart(3, '0')}`);
    } catch {
      continue;
    }
  }
}

export const GIVEN = Date.parse('2027-03-01T09:00:00Z');
export const PERIOD = 'from=2027-03-01&to=2028-02-29';

export interface Person {
  /** Their CHI number, for the same person in two practices; made from the serial otherwise (with GP counts). */
  chi?: string;
  sessions: number;
  swemwbs?: [baseline: number, followUp: number];
  ons4?: [number[], number[]];
  gp?: [before: number, after: number];
}

/**
 * People given a place in a Tuesday walk on 1 March 2027, each attending so many sessions, with
 * SWEMWBS metric scores, ONS4 answers and GP appointment counts written straight in, so every
 * figure can be worked out by hand.
 */
export async function practiceWith(t: TestApp, practiceId: number, token: string, people: Person[], serial: number) {
  const { group } = await seedGroup(t, { capacity: null, name: `Walk ${serial}` }, token);
  const sessions = (await t.db.selectFrom('sessions').select(['id']).where('group_id', '=', group.id).orderBy('starts_at').execute()).map((s) => s.id);
  for (const [i, p] of people.entries()) {
    const number = p.chi ?? (p.gp ? chi(`0101${String(80 + (serial % 10))}${String(serial * 100 + i).padStart(3, '0')}`) : null);
    const { id } = await t.db
      .insertInto('participants')
      .values({
        practice_id: practiceId,
        given_name: `P${serial}-${i}`,
        sms_consent: 0,
        do_not_text: 0,
        interpreter_needed: 0,
        chi_number: number,
        created_at: GIVEN,
        updated_at: GIVEN,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('enrolments')
      .values({
        practice_id: practiceId,
        group_id: group.id,
        participant_id: id,
        status: 'active',
        requested_at: GIVEN,
        enrolled_at: GIVEN,
        created_at: GIVEN,
        updated_at: GIVEN,
      })
      .execute();
    for (const s of sessions.slice(0, p.sessions))
      await t.db
        .insertInto('attendance')
        .values({ session_id: s, participant_id: id, practice_id: practiceId, status: 'present', drop_in: 0, recorded_by: null, recorded_at: GIVEN })
        .execute();
    const outcome = (measure: 'swemwbs' | 'ons4', taken_on: string, answers: number[], metric: number | null) =>
      t.db
        .insertInto('outcomes')
        .values({
          practice_id: practiceId,
          participant_id: id,
          measure,
          answers: JSON.stringify(answers),
          raw_score: null,
          metric_score: metric,
          taken_on,
          recorded_by: null,
          created_at: GIVEN,
        })
        .execute();
    if (p.swemwbs) {
      await outcome('swemwbs', '2027-03-02', [], p.swemwbs[0]);
      await outcome('swemwbs', '2027-06-01', [], p.swemwbs[1]);
    }
    if (p.ons4) {
      await outcome('ons4', '2027-03-02', p.ons4[0], null);
      await outcome('ons4', '2027-06-01', p.ons4[1], null);
    }
    if (p.gp) {
      for (const [from, to, appointments] of [
        ['2026-03-01', '2027-02-28', p.gp[0]],
        ['2027-03-01', '2028-02-28', p.gp[1]],
      ] as const)
        await t.db
          .insertInto('gp_appointments')
          .values({ practice_id: practiceId, chi_number: number!, period_from: from, period_to: to, appointments, imported_at: GIVEN, imported_by: null })
          .execute();
    }
  }
}
