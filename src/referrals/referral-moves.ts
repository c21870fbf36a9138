import type { Db, ReferralStatus } from '../db/schema.js';
import { audit } from '../audit/audit-service.js';
import { conflict, forbidden, invalid, notFound } from '../lib/errors.js';
import { getGroup } from '../groups/groups-service.js';
import { enrol } from '../enrolments/enrolments-service.js';
import { requireLiveParticipant } from '../participants/participants-service.js';
import type { ReferralMove } from './referral-schemas.js';
import { readReferrals, type ReferralView } from './referral-reads.js';
import type { Caller } from './referrals-service.js';

/** The one path a referral takes; "attended" is reached by itself, at the first present or late mark. */
export const NEXT_STEPS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  received: ['accepted', 'declined'],
  accepted: ['contacted', 'attended', 'closed'],
  declined: ['closed'],
  contacted: ['attended', 'closed'],
  attended: ['closed'],
  closed: [],
};

export const STEP_WORDS: Record<ReferralStatus, string> = {
  received: 'received',
  accepted: 'accepted',
  declined: 'declined',
  contacted: 'contacted',
  attended: 'attended',
  closed: 'closed',
};

/**
 * A CLP or admin moves a referral on: accepts it into a group (a place, or the waitlist, with the
 * usual welcome text), declines it with a reason, marks the person contacted, or closes it. A move
 * the path does not allow is refused (409) and changes nothing.
 */
export async function moveReferral(db: Db, actor: Caller, now: number, id: number, move: ReferralMove): Promise<ReferralView> {
  if (actor.role !== 'admin' && actor.role !== 'clp') throw forbidden('Only CLPs and admins move a referral on');
  const before = await db.selectFrom('referrals').selectAll().where('practice_id', '=', actor.practiceId).where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('Referral');
  if (!NEXT_STEPS[before.status].includes(move.status)) {
    throw conflict(`This referral is ${STEP_WORDS[before.status]}: it cannot be ${STEP_WORDS[move.status]} now`, {
      status: before.status,
      allowed: NEXT_STEPS[before.status].filter((s) => s !== 'attended'),
    });
  }
  if (move.status === 'declined' && !move.reason) throw invalid('Say why the referral is declined', [{ path: 'reason', message: 'a reason is needed' }]);
  let groupId = before.group_id;
  if (move.status === 'accepted') {
    groupId = move.groupId ?? before.suggested_group_id;
    if (groupId === null) throw invalid('Choose the group the person is accepted into', [{ path: 'groupId', message: 'a group is needed to accept' }]);
    await placeInGroup(db, actor, now, groupId, before.participant_id, before.reason);
  }
  const updated = await db
    .updateTable('referrals')
    .set({ status: move.status, group_id: groupId, updated_at: now })
    .where('id', '=', id)
    // Checked again inside the write: two CLPs moving it at once make one step.
    .where('status', '=', before.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw conflict('Someone else moved this referral on just now: look again');
  await db
    .insertInto('referral_steps')
    .values({ referral_id: id, status: move.status, reason: move.reason ?? null, user_id: actor.id, at: now })
    .execute();
  await audit(db, actor, now, { action: 'update', entity: 'referral', entityId: id, participantId: before.participant_id, detail: move.status });
  return (await readReferrals(db, actor, { id }))[0]!;
}

/** A place in the group (or the waitlist), as any enrolment; someone already in it keeps their place. */
async function placeInGroup(db: Db, actor: Caller, now: number, groupId: number, participantId: number, reason: string | null) {
  const group = await getGroup(db, actor.practiceId, groupId);
  if (group.status === 'archived') throw conflict('This group is archived and takes no new people: choose another');
  await requireLiveParticipant(db, actor.practiceId, participantId);
  const already = await db
    .selectFrom('enrolments')
    .select('status')
    .where('group_id', '=', groupId)
    .where('participant_id', '=', participantId)
    .where('status', 'in', ['active', 'waitlisted'])
    .executeTakeFirst();
  if (already) return;
  await enrol(db, actor, now, groupId, { participantId, referralSource: 'gp', referralReason: reason ? reason.slice(0, 200) : null });
}
