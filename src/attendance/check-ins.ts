import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';

/**
 * People who missed the last two registered sessions of a group they are enrolled in (absent,
 * or simply not ticked, without apologies): the CLP should check in with them.
 * A CLP sees the groups they facilitate (all groups while they facilitate none, as on Today);
 * an admin sees every group.
 */
export async function needsCheckIn(db: Db, actor: Actor & { role: string }, now: number, groupId?: number) {
  const rows = await missedLastTwo(db, actor, now, groupId);
  await audit(db, actor, now, {
    action: 'list',
    entity: 'check_in',
    detail: `${rows.length} to check in with`,
    shown: rows.map((r) => r.participant_id),
  });
  return rows;
}

/** Who missed the last two registered sessions of their group, without apologies (not audited: callers audit what they show). */
export async function missedLastTwo(db: Db, actor: Actor & { role: string }, now: number, groupId?: number) {
  const onlyMine = actor.role === 'clp' && (await facilitatesAny(db, actor.id));
  const rows = await sql<{
    group_id: number;
    group_name: string;
    participant_id: number;
    given_name: string | null;
    family_name: string | null;
    phone: string | null;
    last_missed: number;
  }>`
    WITH recent AS (
      SELECT s.id, s.group_id, s.starts_at,
             row_number() OVER (PARTITION BY s.group_id ORDER BY s.starts_at DESC) AS rn
      FROM sessions s
      WHERE s.practice_id = ${actor.practiceId} AND s.status = 'scheduled' AND s.starts_at <= ${now}
        AND s.register_taken_at IS NOT NULL
        ${groupId !== undefined ? sql`AND s.group_id = ${groupId}` : sql``}
    )
    SELECT e.group_id, g.name AS group_name, e.participant_id, p.given_name, p.family_name, p.phone, max(r.starts_at) AS last_missed
    FROM enrolments e
    JOIN community_groups g ON g.id = e.group_id
    JOIN participants p ON p.id = e.participant_id
    JOIN recent r ON r.group_id = e.group_id AND r.rn <= 2
    LEFT JOIN attendance a ON a.session_id = r.id AND a.participant_id = e.participant_id
    WHERE e.practice_id = ${actor.practiceId} AND e.status = 'active' AND p.erased_at IS NULL
      AND (a.status = 'absent' OR (a.status IS NULL AND e.enrolled_at <= r.starts_at))
      ${onlyMine ? sql`AND EXISTS (SELECT 1 FROM group_facilitators f WHERE f.group_id = e.group_id AND f.user_id = ${actor.id})` : sql``}
    GROUP BY e.group_id, e.participant_id
    HAVING count(*) = 2
    ORDER BY g.name, p.given_name`.execute(db);
  return rows.rows;
}

/** Whether a user facilitates any group: a CLP who does sees only their own groups (Today, check-ins). */
export async function facilitatesAny(db: Db, userId: number): Promise<boolean> {
  return !!(await db.selectFrom('group_facilitators').select('group_id').where('user_id', '=', userId).executeTakeFirst());
}
