import type { Db, DbOrTx, ReferralStatus, Role } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { atomic } from '../db/atomic.js';
import { forbidden, unprocessable } from '../lib/errors.js';
import { getGroup } from '../groups/groups-service.js';
import { createParticipant, requireLiveParticipant } from '../participants/participants-service.js';
import type { NewReferral } from './referral-schemas.js';
import { getReferralQuietly, readReferrals, type ReferralView } from './referral-reads.js';

export interface Caller extends Actor {
  role: Role;
  name: string;
}

/**
 * Records a referral from practice staff, a CLP or an admin: a new person (or, by CHI number,
 * someone the practice already knows) or a known participant, with the reason, the needs and the
 * person's consents. Without consent to be referred nothing is written (422).
 */
export async function createReferral(db: Db, actor: Caller, now: number, input: NewReferral): Promise<ReferralView> {
  if (!input.consent.toBeReferred) {
    throw unprocessable('The person must agree to be referred: ask them first, then tick that they agreed', [
      { path: 'consent.toBeReferred', message: 'the person has not agreed to be referred' },
    ]);
  }
  // Staff refer by the person's details: a participant's id would let them read names they may not see.
  if (input.participantId !== undefined && actor.role === 'staff') throw forbidden("Staff refer someone by their details, not a participant's id");
  if (input.suggestedGroupId !== null) await getGroup(db, actor.practiceId, input.suggestedGroupId);
  const id = await atomic(db, async (tx) => {
    const participantId =
      input.participantId !== undefined ? (await requireLiveParticipant(tx, actor.practiceId, input.participantId)).id : await personFor(tx, actor, now, input);
    const row = await tx
      .insertInto('referrals')
      .values({
        practice_id: actor.practiceId,
        participant_id: participantId,
        reason: input.reason,
        needs: input.needs.length ? JSON.stringify(input.needs) : null,
        suggested_group_id: input.suggestedGroupId,
        group_id: null,
        consent_to_be_referred: 1,
        share_with_referrer: input.consent.shareWithReferrer ? 1 : 0,
        referrer_name: input.referrer?.name ?? actor.name,
        referrer_organisation: input.referrer?.organisation ?? null,
        referred_by: actor.id,
        received_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.insertInto('referral_steps').values({ referral_id: row.id, status: 'received', reason: null, user_id: actor.id, at: now }).execute();
    await audit(tx, actor, now, { action: 'create', entity: 'referral', entityId: row.id, participantId });
    return row.id;
  });
  return (await readReferrals(db, actor, { id }))[0]!;
}

/** The person a referral is about: someone the practice knows by this CHI number, or a new participant. */
async function personFor(db: DbOrTx, actor: Caller, now: number, input: NewReferral): Promise<number> {
  const p = input.person!;
  if (p.chiNumber) {
    const known = await db
      .selectFrom('participants')
      .select('id')
      .where('practice_id', '=', actor.practiceId)
      .where('chi_number', '=', p.chiNumber)
      .where('erased_at', 'is', null)
      .executeTakeFirst();
    if (known) return known.id;
  }
  const created = await createParticipant(db as Db, actor, now, {
    givenName: p.givenName,
    familyName: p.familyName,
    phone: p.phone,
    smsConsent: p.smsConsent,
    smsConsentMethod: null,
    doNotText: false,
    preferredLanguage: p.preferredLanguage,
    interpreterNeeded: p.interpreterLanguage !== null,
    accessNeeds: null,
    gender: null,
    chiNumber: p.chiNumber,
    interpreterLanguage: p.interpreterLanguage,
  });
  return created.id;
}

/** The practice's referrals (staff: the ones they made), newest first; the read is audited. */
export async function listReferrals(db: Db, actor: Caller, now: number, status?: ReferralStatus) {
  const rows = await readReferrals(db, actor, { status });
  await audit(db, actor, now, { action: 'list', entity: 'referral', shown: rows.map((r) => r.participantId) });
  return rows;
}

export async function getReferral(db: Db, actor: Caller, now: number, id: number) {
  const row = await getReferralQuietly(db, actor, id);
  await audit(db, actor, now, { action: 'read', entity: 'referral', entityId: id, participantId: row.participantId });
  return row;
}

/** Referrals waiting for a CLP: a count for Today (no one's details, so no read to audit). */
export async function newReferralCount(db: Db, actor: Caller): Promise<number> {
  const row = await db
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('practice_id', '=', actor.practiceId)
    .where('status', '=', 'received')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An erasure keeps a referral's counts and dates, not its words: the reason, the needs, why it was declined. */
export async function eraseReferralWords(tx: DbOrTx, practiceId: number, participantId: number): Promise<void> {
  const mine = tx.selectFrom('referrals').select('id').where('practice_id', '=', practiceId).where('participant_id', '=', participantId);
  await tx.updateTable('referral_steps').set({ reason: null }).where('referral_id', 'in', mine).execute();
  await tx
    .updateTable('referrals')
    .set({ reason: null, needs: null })
    .where('practice_id', '=', practiceId)
    .where('participant_id', '=', participantId)
    .execute();
}
