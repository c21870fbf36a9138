import { z } from 'zod';
import { ZonedTime } from '../openapi/describe.js';
import { sql } from 'kysely';
import type { Db, DbOrTx, Enrolment } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { atomic } from '../db/atomic.js';
import { conflict, notFound } from '../lib/errors.js';
import { getGroup } from '../groups/groups-service.js';
import { requireLiveParticipant } from '../participants/participants-service.js';
import { toZonedIso } from '../lib/time/time.js';
import { promoteFromWaitlist } from './waitlist.js';

export const REFERRAL_SOURCES = ['gp', 'clp', 'self', 'other_service', 'other'] as const;

export interface EnrolInput {
  participantId: number;
  referralSource: string | null;
  referralReason: string | null;
}

/**
 * Enrols someone as active while there is room, otherwise at the end of the waitlist.
 * One INSERT … SELECT decides and writes together, so concurrent requests can never
 * overfill a group, on SQLite or on D1 alike. A withdrawn enrolment is re-opened in place.
 */
export async function enrol(db: Db, actor: Actor, now: number, groupId: number, input: EnrolInput): Promise<Enrolment & { waitlist_position: number | null }> {
  const group = await getGroup(db, actor.practiceId, groupId);
  if (group.status === 'archived') throw conflict('This group is archived and takes no new enrolments');
  await requireLiveParticipant(db, actor.practiceId, input.participantId);
  const result = await sql<Enrolment>`
    WITH g AS (
      SELECT id,
        capacity IS NULL OR (SELECT count(*) FROM enrolments e WHERE e.group_id = community_groups.id AND e.status = 'active') < capacity AS has_room,
        (SELECT coalesce(max(waitlist_seq), 0) + 1 FROM enrolments e WHERE e.group_id = community_groups.id) AS next_seq
      FROM community_groups WHERE id = ${group.id} AND practice_id = ${actor.practiceId}
    )
    INSERT INTO enrolments (practice_id, group_id, participant_id, status, referral_source, referral_reason, waitlist_seq,
                            requested_at, enrolled_at, promoted_at, withdrawn_at, created_at, updated_at)
    SELECT ${actor.practiceId}, g.id, ${input.participantId},
           CASE WHEN g.has_room THEN 'active' ELSE 'waitlisted' END,
           ${input.referralSource}, ${input.referralReason},
           CASE WHEN g.has_room THEN NULL ELSE g.next_seq END,
           ${now}, CASE WHEN g.has_room THEN ${now} ELSE NULL END, NULL, NULL, ${now}, ${now}
    FROM g WHERE true
    ON CONFLICT (group_id, participant_id) DO UPDATE SET
      status = excluded.status, referral_source = excluded.referral_source, referral_reason = excluded.referral_reason,
      waitlist_seq = excluded.waitlist_seq, requested_at = excluded.requested_at, enrolled_at = excluded.enrolled_at,
      promoted_at = NULL, withdrawn_at = NULL, updated_at = excluded.updated_at
    WHERE enrolments.status = 'withdrawn'
    RETURNING *`.execute(db);
  const row = result.rows[0];
  if (!row) throw conflict('This participant is already enrolled or waitlisted in this group');
  await audit(db, actor, now, { action: 'enrol', entity: 'enrolment', entityId: row.id, participantId: row.participant_id, detail: row.status });
  return { ...row, waitlist_position: await waitlistPosition(db, row) };
}

async function waitlistPosition(db: DbOrTx, e: Enrolment): Promise<number | null> {
  if (e.status !== 'waitlisted' || e.waitlist_seq === null) return null;
  const ahead = await db
    .selectFrom('enrolments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', e.group_id)
    .where('status', '=', 'waitlisted')
    .where('waitlist_seq', '<', e.waitlist_seq)
    .executeTakeFirstOrThrow();
  return Number(ahead.n) + 1;
}

/** Ends an enrolment; a freed place goes to the first on the waitlist in the same transaction. */
export async function withdrawEnrolment(db: DbOrTx, actor: Actor, now: number, groupId: number, participantId: number) {
  return atomic(db, async (tx) => {
    await getGroup(tx, actor.practiceId, groupId);
    const updated = await tx
      .updateTable('enrolments')
      .set({ status: 'withdrawn', withdrawn_at: now, waitlist_seq: null, updated_at: now })
      .where('practice_id', '=', actor.practiceId)
      .where('group_id', '=', groupId)
      .where('participant_id', '=', participantId)
      .where('status', 'in', ['active', 'waitlisted'])
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound('Enrolment');
    // Their queued texts about this group are no longer true: retired now, so the outbox shows it (the dispatcher checks again).
    await tx
      .updateTable('messages')
      .set({ status: 'skipped', status_reason: 'not_enrolled', updated_at: now })
      .where('participant_id', '=', participantId)
      .where('group_id', '=', groupId)
      .where('status', '=', 'pending')
      .execute();
    const promoted = await promoteFromWaitlist(tx, groupId, now);
    await audit(tx, actor, now, { action: 'withdraw', entity: 'enrolment', entityId: updated.id, participantId });
    return { enrolment: updated, promoted };
  });
}

export async function listEnrolments(db: Db, actor: Actor, now: number, groupId: number, status?: string) {
  await getGroup(db, actor.practiceId, groupId);
  let q = db
    .selectFrom('enrolments')
    .innerJoin('participants as p', 'p.id', 'enrolments.participant_id')
    .selectAll('enrolments')
    .select(['p.given_name', 'p.family_name', 'p.phone', 'p.erased_at'])
    .where('enrolments.group_id', '=', groupId)
    .where('enrolments.practice_id', '=', actor.practiceId);
  if (status) q = q.where('enrolments.status', '=', status as 'active');
  const rows = await q
    .orderBy(sql`CASE enrolments.status WHEN 'active' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END`)
    .orderBy('enrolments.waitlist_seq')
    .orderBy('p.given_name')
    .execute();
  await audit(db, actor, now, { action: 'list', entity: 'enrolment', detail: `group ${groupId}`, shown: rows.map((r) => r.participant_id) });
  let position = 0;
  return rows.map((r) => ({ ...r, waitlist_position: r.status === 'waitlisted' ? ++position : null }));
}

export const EnrolmentDto = z.object({
  groupId: z.number().int(),
  participantId: z.number().int(),
  status: z.enum(['active', 'waitlisted', 'withdrawn']),
  waitlistPosition: z.number().int().optional(),
  referralSource: z
    .string()
    .nullable()
    .describe(`one of ${REFERRAL_SOURCES.join(', ')}`),
  referralReason: z.string().nullable(),
  requestedAt: ZonedTime,
  enrolledAt: ZonedTime.nullable(),
  promotedFromWaitlistAt: ZonedTime.nullable(),
  withdrawnAt: ZonedTime.nullable(),
});

export function toEnrolmentDto(e: Enrolment & { waitlist_position: number | null }, zone: string): z.input<typeof EnrolmentDto> {
  return {
    groupId: e.group_id,
    participantId: e.participant_id,
    status: e.status,
    ...(e.waitlist_position !== null && { waitlistPosition: e.waitlist_position }),
    referralSource: e.referral_source,
    referralReason: e.referral_reason,
    requestedAt: toZonedIso(e.requested_at, zone),
    enrolledAt: e.enrolled_at === null ? null : toZonedIso(e.enrolled_at, zone),
    promotedFromWaitlistAt: e.promoted_at === null ? null : toZonedIso(e.promoted_at, zone),
    withdrawnAt: e.withdrawn_at === null ? null : toZonedIso(e.withdrawn_at, zone),
  };
}
