import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/schema.js';

export interface ReferralFunnel {
  received: number;
  accepted: number;
  attended: number;
  declined: number;
  declinedReasons: { reason: string; referrals: number }[];
  method: string;
}

export const REFERRAL_FUNNEL_METHOD =
  "Counts referrals received in the period (a person referred twice counts twice); of them, those accepted, those where the person came (marked present or late at the group they were accepted into), and those declined, to date. Why they were declined, in the practice's own report only.";

/**
 * The referral funnel of any number of practices in two queries: `bounds` is the report's
 * `b(pid, start, fin, …)` list of each practice's period as instants.
 */
export async function referralFunnels(db: Db, bounds: RawBuilder<unknown>, groupId?: number): Promise<Map<number, ReferralFunnel>> {
  const inGroup = groupId === undefined ? sql`` : sql`AND coalesce(r.group_id, r.suggested_group_id) = ${groupId}`;
  const counts = await sql<{ practice_id: number; received: number; accepted: number; attended: number; declined: number }>`
    WITH ${bounds},
    r AS (SELECT r.* FROM referrals r JOIN b ON b.pid = r.practice_id WHERE r.received_at >= b.start AND r.received_at < b.fin ${inGroup})
    SELECT r.practice_id, count(*) AS received,
      sum(EXISTS (SELECT 1 FROM referral_steps s WHERE s.referral_id = r.id AND s.status = 'accepted')) AS accepted,
      sum(EXISTS (SELECT 1 FROM referral_steps s WHERE s.referral_id = r.id AND s.status = 'attended')) AS attended,
      sum(EXISTS (SELECT 1 FROM referral_steps s WHERE s.referral_id = r.id AND s.status = 'declined')) AS declined
    FROM r GROUP BY r.practice_id`.execute(db);
  const reasons = await sql<{ practice_id: number; reason: string; n: number }>`
    WITH ${bounds}
    SELECT r.practice_id, s.reason, count(*) AS n
    FROM referrals r JOIN b ON b.pid = r.practice_id JOIN referral_steps s ON s.referral_id = r.id AND s.status = 'declined' AND s.reason IS NOT NULL
    WHERE r.received_at >= b.start AND r.received_at < b.fin ${inGroup}
    GROUP BY r.practice_id, s.reason ORDER BY n DESC, s.reason`.execute(db);
  const out = new Map<number, ReferralFunnel>();
  for (const c of counts.rows) {
    out.set(Number(c.practice_id), {
      received: Number(c.received),
      accepted: Number(c.accepted),
      attended: Number(c.attended),
      declined: Number(c.declined),
      declinedReasons: [],
      method: REFERRAL_FUNNEL_METHOD,
    });
  }
  for (const r of reasons.rows) out.get(Number(r.practice_id))?.declinedReasons.push({ reason: r.reason, referrals: Number(r.n) });
  return out;
}

export const emptyFunnel = (): ReferralFunnel => ({ received: 0, accepted: 0, attended: 0, declined: 0, declinedReasons: [], method: REFERRAL_FUNNEL_METHOD });
