import { sql } from 'kysely';
import type { Db, Outcome, OutcomeMeasure } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { invalid } from '../lib/errors.js';
import { addDays, localDate, toZonedIso } from '../lib/time/time.js';
import { requireLiveParticipant } from '../participants/participants-service.js';
import { scoreOutcome } from './wellbeing-scores.js';

/** A follow-up is due this long after the baseline; one taken from 8 weeks on counts as the follow-up. */
export const FOLLOW_UP_DAYS = 84;
export const FOLLOW_UP_EARLIEST_DAYS = 56;

export interface OutcomeInput {
  measure: OutcomeMeasure;
  answers: number[];
  takenOn: string;
}

export function toOutcomeDto(o: Outcome, zone: string) {
  const answers = JSON.parse(o.answers) as number[];
  return {
    id: o.id,
    participantId: o.participant_id,
    measure: o.measure,
    answers,
    takenOn: o.taken_on,
    ...scoreOutcome(o.measure, answers),
    // The happiness question has one answer: its value, and where it came from (a text or a form).
    value: o.measure === 'happiness' ? answers[0]! : null,
    source: o.source,
    recordedAt: toZonedIso(o.created_at, zone),
  };
}

/** Records a wellbeing measure with its scores. Answers are only ever shown to staff, never texted. */
export async function recordOutcome(db: Db, actor: Actor, now: number, participantId: number, input: OutcomeInput) {
  const p = await requireLiveParticipant(db, actor.practiceId, participantId);
  if (input.takenOn > localDate(now, actor.timezone))
    throw invalid('takenOn cannot be in the future', [{ path: 'takenOn', message: 'a date on or before today' }]);
  const scores = scoreOutcome(input.measure, input.answers);
  const row = await db
    .insertInto('outcomes')
    .values({
      practice_id: actor.practiceId,
      participant_id: p.id,
      measure: input.measure,
      answers: JSON.stringify(input.answers),
      raw_score: scores.rawScore,
      metric_score: scores.metricScore,
      taken_on: input.takenOn,
      recorded_by: actor.id,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, actor, now, { action: 'create', entity: 'outcome', entityId: row.id, participantId: p.id, detail: input.measure });
  return row;
}

export async function listOutcomes(db: Db, actor: Actor, now: number, participantId: number) {
  const p = await requireLiveParticipant(db, actor.practiceId, participantId);
  const rows = await db.selectFrom('outcomes').selectAll().where('participant_id', '=', p.id).orderBy('taken_on').orderBy('id').execute();
  await audit(db, actor, now, { action: 'read', entity: 'outcome', participantId: p.id, detail: `${rows.length} outcomes` });
  return rows;
}

export interface DueOutcome {
  participant_id: number;
  given_name: string | null;
  family_name: string | null;
  due: 'baseline' | 'follow_up';
  /** The local date the baseline was taken (follow-ups), or the enrolment date (baselines). */
  since: string;
}

/**
 * Who needs a wellbeing measure now: a baseline for everyone enrolled without one, and a
 * follow-up 12 weeks after the baseline for everyone without a later one.
 */
export async function outcomesDue(db: Db, actor: Actor, now: number): Promise<DueOutcome[]> {
  const today = localDate(now, actor.timezone);
  const rows = await sql<{
    participant_id: number;
    given_name: string | null;
    family_name: string | null;
    enrolled_at: number;
    baseline: string | null;
    latest: string | null;
  }>`
    SELECT p.id AS participant_id, p.given_name, p.family_name, min(e.enrolled_at) AS enrolled_at,
           (SELECT min(taken_on) FROM outcomes o WHERE o.participant_id = p.id AND o.measure = 'swemwbs') AS baseline,
           (SELECT max(taken_on) FROM outcomes o WHERE o.participant_id = p.id AND o.measure = 'swemwbs') AS latest
    FROM participants p JOIN enrolments e ON e.participant_id = p.id AND e.status = 'active'
    WHERE p.practice_id = ${actor.practiceId} AND p.erased_at IS NULL
    GROUP BY p.id`.execute(db);
  const due: DueOutcome[] = [];
  for (const r of rows.rows) {
    if (r.baseline === null) due.push({ ...r, due: 'baseline', since: localDate(Number(r.enrolled_at), actor.timezone) });
    else if (addDays(r.baseline, FOLLOW_UP_DAYS) <= today && r.latest! < addDays(r.baseline, FOLLOW_UP_EARLIEST_DAYS))
      due.push({ ...r, due: 'follow_up', since: r.baseline });
  }
  await audit(db, actor, now, { action: 'list', entity: 'outcome', detail: `${due.length} due`, shown: due.map((d) => d.participant_id) });
  return due.sort((a, b) => a.since.localeCompare(b.since));
}
