import { userRef } from '../users/user-ref.js';
import type { Db, ReferralStatus, Role } from '../db/schema.js';
import { notFound } from '../lib/errors.js';
import type { Actor } from '../audit/audit-service.js';

type Who = { id: number; name: string } | null;

/** A referral as its reader may see it: never a phone number or CHI, whoever reads it. */
export interface ReferralView {
  id: number;
  status: ReferralStatus;
  participantId: number;
  givenName: string | null;
  familyName: string | null;
  reason: string | null;
  needs: string[];
  suggestedGroupId: number | null;
  groupId: number | null;
  groupName: string | null;
  shareWithReferrer: boolean;
  referrer: { name: string | null; organisation: string | null; userId: number | null };
  receivedAt: number;
  history: { status: ReferralStatus; at: number; by: Who; reason: string | null }[];
}

/**
 * Referrals in the caller's practice with their steps, newest first: two queries however many.
 * Staff read only the referrals they made; anyone else's is not found, as another practice's is.
 */
export async function readReferrals(
  db: Db,
  actor: Actor & { role: Role },
  filter: { id?: number; status?: ReferralStatus; participantId?: number },
): Promise<ReferralView[]> {
  let mine = db.selectFrom('referrals as r').where('r.practice_id', '=', actor.practiceId);
  if (actor.role === 'staff') mine = mine.where('r.referred_by', '=', actor.id);
  if (filter.id !== undefined) mine = mine.where('r.id', '=', filter.id);
  if (filter.status !== undefined) mine = mine.where('r.status', '=', filter.status);
  if (filter.participantId !== undefined) mine = mine.where('r.participant_id', '=', filter.participantId);
  const rows = await mine
    .innerJoin('participants as p', 'p.id', 'r.participant_id')
    .leftJoin('community_groups as g', 'g.id', 'r.group_id')
    .selectAll('r')
    .select(['p.given_name', 'p.family_name', 'g.name as group_name'])
    .orderBy('r.received_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  if (rows.length === 0) return [];
  // The same filter again as a subquery, not a list of ids: D1 binds at most 100 values a query.
  const steps = await db
    .selectFrom('referral_steps as s')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .select(['s.referral_id', 's.status', 's.at', 's.reason', 's.user_id', 'u.name'])
    .where('s.referral_id', 'in', mine.select('r.id'))
    .orderBy('s.at')
    .orderBy('s.id')
    .execute();
  const history = new Map<number, ReferralView['history']>();
  for (const s of steps) {
    const list = history.get(s.referral_id) ?? [];
    // A CLP's note on a step is for CLPs; staff read only why a referral was declined.
    const reason = actor.role === 'staff' && s.status !== 'declined' ? null : s.reason;
    list.push({ status: s.status, at: s.at, by: userRef(s.user_id, s.name), reason });
    history.set(s.referral_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    participantId: r.participant_id,
    givenName: r.given_name,
    familyName: r.family_name,
    reason: r.reason,
    needs: r.needs ? (JSON.parse(r.needs) as string[]) : [],
    suggestedGroupId: r.suggested_group_id,
    groupId: r.group_id,
    groupName: r.group_name,
    shareWithReferrer: r.share_with_referrer === 1,
    referrer: { name: r.referrer_name, organisation: r.referrer_organisation, userId: r.referred_by },
    receivedAt: r.received_at,
    history: history.get(r.id) ?? [],
  }));
}

/** One referral the caller may read, or not found; the caller audits what it shows. */
export async function getReferralQuietly(db: Db, actor: Actor & { role: Role }, id: number): Promise<ReferralView> {
  const row = (await readReferrals(db, actor, { id }))[0];
  if (!row) throw notFound('Referral');
  return row;
}
