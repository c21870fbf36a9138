import { sql } from 'kysely';
import type { DbOrTx } from '../db/schema.js';

/**
 * Fills free places from the head of the waitlist, marking each promotion so the SMS offer
 * can be sent. Returns the participants promoted.
 */
export async function promoteFromWaitlist(db: DbOrTx, groupId: number, now: number): Promise<number[]> {
  const result = await sql<{ participant_id: number }>`
    UPDATE enrolments SET status = 'active', enrolled_at = ${now}, promoted_at = ${now}, waitlist_seq = NULL, updated_at = ${now}
    WHERE id IN (
      SELECT id FROM enrolments WHERE group_id = ${groupId} AND status = 'waitlisted' ORDER BY waitlist_seq
      LIMIT (SELECT CASE WHEN capacity IS NULL THEN -1
                         ELSE max(0, capacity - (SELECT count(*) FROM enrolments WHERE group_id = ${groupId} AND status = 'active')) END
             FROM community_groups WHERE id = ${groupId})
    )
    RETURNING participant_id`.execute(db);
  return result.rows.map((r) => r.participant_id);
}

/** Who would be given a place if `leaving` left the group now: the head of the waitlist, as many as places free. */
export async function nextFromWaitlist(db: DbOrTx, groupId: number, leaving: number): Promise<number[]> {
  const rows = await sql<{ participant_id: number }>`
    SELECT participant_id FROM enrolments WHERE group_id = ${groupId} AND status = 'waitlisted'
      AND EXISTS (SELECT 1 FROM enrolments WHERE group_id = ${groupId} AND participant_id = ${leaving} AND status = 'active')
    ORDER BY waitlist_seq
    LIMIT (SELECT CASE WHEN capacity IS NULL THEN 0
                       ELSE max(0, capacity - (SELECT count(*) FROM enrolments WHERE group_id = ${groupId} AND status = 'active' AND participant_id != ${leaving})) END
           FROM community_groups WHERE id = ${groupId})`.execute(db);
  return rows.rows.map((r) => r.participant_id);
}
