import { sql } from 'kysely';
import { jsonIds } from '../db/json-table.js';
import { DateTime } from 'luxon';
import type { Db, DbOrTx, NewMessage } from '../db/schema.js';
import { allowance } from '../db/query-budget.js';
import { localDate } from '../lib/time/time.js';
import { insertMessages, outboundMessage } from '../sms/outbox/outbox.js';
import { outcomeQuestionText, SENDABLE_SQL } from '../sms/wording/message-context.js';
import { templateSource } from '../sms/wording/practice-templates.js';
import type { TemplateLibrary } from '../sms/wording/templates.js';

const DAY_MS = 86_400_000;
/** A number that comes back within this long answers the question. */
export const ANSWER_WINDOW_MS = 3 * DAY_MS;
/** Asked when given a place, and again this many weeks on, whether or not they still come. */
export const FOLLOW_UP_WEEKS = 8;
/** Daytime, local: the question is not one to wake or worry anyone with in the evening. */
const DAY_STARTS = 10;
const DAY_ENDS = 18;
/** Two places in one week are one question, not two. */
const NOT_AGAIN_WITHIN_MS = 14 * DAY_MS;

/** The first daytime moment from `ms` on (10:00-18:00 in the practice's zone), and the end of that daytime. */
export function daytimeFrom(ms: number, zone: string): { at: number; until: number } {
  let t = DateTime.fromMillis(ms, { zone });
  if (t.hour >= DAY_ENDS) t = t.plus({ days: 1 }).set({ hour: DAY_STARTS, minute: 0, second: 0, millisecond: 0 });
  else if (t.hour < DAY_STARTS) t = t.set({ hour: DAY_STARTS, minute: 0, second: 0, millisecond: 0 });
  return { at: t.toMillis(), until: t.set({ hour: DAY_ENDS, minute: 0, second: 0, millisecond: 0 }).toMillis() };
}

interface Placed {
  enrolment_id: number;
  enrolled_at: number;
  group_id: number;
  practice_id: number;
  practice_name: string;
  timezone: string;
  participant_id: number;
  given_name: string | null;
  preferred_language: string | null;
  phone: string;
}

/**
 * Queues ONS4's happiness question for people who agreed, in practices that ask: when given a
 * place, and 8 weeks later (the same local time), each in the first daytime from then. Queued only
 * once due, so a change of mind or of the practice's setting before then is respected; the
 * dispatcher checks both again as it sends. A pass that missed a day still asks within 3 days.
 */
export async function planOutcomeQuestions(db: Db, templates: TemplateLibrary, now: number, share = allowance()): Promise<number> {
  if (!share.has(3)) return 0;
  const followUpMs = FOLLOW_UP_WEEKS * 7 * DAY_MS;
  // Candidates by their placing instant: placed in the last 3 days, or 8 weeks (± an hour's clock change) and up to 3 days ago.
  const placed = await sql<Placed>`
    SELECT e.id AS enrolment_id, e.enrolled_at, e.group_id, pr.id AS practice_id, pr.name AS practice_name, pr.timezone,
           p.id AS participant_id, p.given_name, p.preferred_language, p.phone
    FROM enrolments e INDEXED BY enrolments_placed
    JOIN practices pr ON pr.id = e.practice_id AND pr.outcome_texts = 1
    JOIN participants p ON p.id = e.participant_id AND p.outcome_text_consent = 1
    WHERE e.enrolled_at IS NOT NULL
      AND ((e.enrolled_at > ${now - ANSWER_WINDOW_MS} AND e.enrolled_at <= ${now})
        OR (e.enrolled_at > ${now - followUpMs - ANSWER_WINDOW_MS - 3_600_000} AND e.enrolled_at <= ${now - followUpMs + 3_600_000}))
      AND ${sql.raw(SENDABLE_SQL)}`.execute(db);
  const wordingOf = templateSource(db, templates);
  const rows: NewMessage[] = [];
  const asked = await recentlyAsked(
    db,
    placed.rows.map((r) => r.participant_id),
    now,
  );
  for (const r of placed.rows) {
    const eightWeeks = DateTime.fromMillis(r.enrolled_at, { zone: r.timezone }).plus({ weeks: FOLLOW_UP_WEEKS }).toMillis();
    for (const [which, from] of [
      ['placed', r.enrolled_at],
      ['8w', eightWeeks],
    ] as const) {
      const day = daytimeFrom(from, r.timezone);
      if (day.at > now || now - from > ANSWER_WINDOW_MS) continue;
      const key = `outcome:${r.enrolment_id}:${which}`;
      const last = asked.get(r.participant_id);
      if (last && last.key !== key && now - last.at < NOT_AGAIN_WITHIN_MS) continue;
      asked.set(r.participant_id, { key, at: now });
      const until = daytimeFrom(now, r.timezone).until;
      rows.push(
        outboundMessage(now, {
          practice_id: r.practice_id,
          kind: 'outcome_question',
          dedupe_key: key,
          participant_id: r.participant_id,
          group_id: r.group_id,
          to_number: r.phone,
          ...outcomeQuestionText(await wordingOf(r.practice_id), r, r.practice_name),
          expires_at: until,
        }),
      );
    }
  }
  return rows.length ? insertMessages(db, rows) : 0;
}

/** When each person was last asked (any practice's question), so two places make one question. */
async function recentlyAsked(db: Db, people: number[], now: number) {
  const out = new Map<number, { key: string; at: number }>();
  if (people.length === 0) return out;
  const rows = await db
    .selectFrom('messages')
    .select(['participant_id', 'dedupe_key', 'created_at'])
    .where('kind', '=', 'outcome_question')
    .where('created_at', '>', now - NOT_AGAIN_WITHIN_MS)
    .where('participant_id', 'in', jsonIds([...new Set(people)]))
    .execute();
  for (const r of rows) out.set(r.participant_id!, { key: r.dedupe_key ?? '', at: r.created_at });
  return out;
}

/** Arabic-Indic and Persian digits as the 0-9 a phone may not offer (٧, ۷ → 7). */
const toLatinDigits = (s: string) => s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90));

/** A reply that is only a whole number from 0 to 10 ("7", " 10 ", "٧"); anything else is not an answer. */
export function happinessAnswer(body: string): number | undefined {
  const m = /^\s*(\d{1,2})\s*\.?\s*$/.exec(toLatinDigits(body));
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= 10 ? n : undefined;
}

/**
 * Records a number as the answer to the happiness question last sent to one of these people in
 * the past 3 days and not yet answered: an outcome `happiness` from `sms`, taken on the day it came.
 */
export async function recordHappinessReply(db: DbOrTx, people: { id: number }[], value: number, now: number): Promise<string | undefined> {
  if (people.length === 0) return undefined;
  const question = await db
    .selectFrom('messages as m')
    .innerJoin('participants as p', 'p.id', 'm.participant_id')
    .innerJoin('practices as pr', 'pr.id', 'm.practice_id')
    .select(['m.id', 'm.participant_id', 'm.practice_id', 'pr.timezone'])
    .where('m.kind', '=', 'outcome_question')
    .where(
      'm.participant_id',
      'in',
      people.map((p) => p.id),
    )
    .where('m.sent_at', '>', now - ANSWER_WINDOW_MS)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('outcomes as o').select('o.id').whereRef('o.message_id', '=', 'm.id'))))
    .orderBy('m.sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!question) return undefined;
  await db
    .insertInto('outcomes')
    .values({
      practice_id: question.practice_id!,
      participant_id: question.participant_id!,
      measure: 'happiness',
      answers: JSON.stringify([value]),
      raw_score: value,
      metric_score: null,
      taken_on: localDate(now, question.timezone),
      recorded_by: null,
      created_at: now,
      source: 'sms',
      message_id: question.id,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return `happiness ${value} of 10 recorded (answer to the question sent by text)`;
}
