import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { toZonedIso } from '../lib/time/time.js';

export const PROGRAMME: Record<string, string> = {
  allotment: 'Green health / allotment',
  health_walk: 'Physical activity / health walk',
  mindfulness: 'Mental wellbeing / mindfulness',
  chair_yoga: 'Physical activity / chair yoga',
  peer_support: 'Social connection / peer support',
  book_club: 'Social connection / book club',
  other: 'Other',
};

/**
 * One row per enrolment with the fields Scotland's Links Worker Programme monitoring collects.
 * Pseudonymous: a participant reference, never a name or number.
 */
export async function monitoringExport(db: Db, actor: Actor, now: number) {
  const rows = await sql<{
    practice_code: string | null;
    practice_name: string;
    participant_id: number;
    programme_id: string | null;
    gender: string | null;
    referral_source: string | null;
    referral_reason: string | null;
    kind: string;
    group_name: string;
    status: string;
    requested_at: number;
    enrolled_at: number | null;
    attended: number;
  }>`
    SELECT pr.code AS practice_code, pr.name AS practice_name, e.participant_id, p.programme_id, p.gender, e.referral_source, e.referral_reason,
           g.kind, g.name AS group_name, e.status, e.requested_at, e.enrolled_at,
           (SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id
             WHERE a.participant_id = e.participant_id AND s.group_id = e.group_id AND a.status IN ('present', 'late')) AS attended
    FROM enrolments e
    JOIN participants p ON p.id = e.participant_id
    JOIN community_groups g ON g.id = e.group_id
    JOIN practices pr ON pr.id = e.practice_id
    WHERE e.practice_id = ${actor.practiceId}
    ORDER BY e.requested_at, e.id`.execute(db);
  await audit(db, actor, now, { action: 'export', entity: 'monitoring_report', detail: `${rows.rows.length} rows` });
  return rows.rows.map((r) => ({
    practiceCode: r.practice_code ?? '',
    practiceName: r.practice_name,
    participantRef: `P${String(r.participant_id).padStart(6, '0')}`,
    programmeId: r.programme_id ?? '',
    gender: r.gender ?? 'not_recorded',
    referralRoute: r.referral_source ?? 'not_recorded',
    referralReason: r.referral_reason ?? '',
    programme: PROGRAMME[r.kind] ?? r.kind,
    group: r.group_name,
    enrolmentStatus: r.status,
    referredAt: toZonedIso(r.requested_at, actor.timezone),
    startedAt: r.enrolled_at === null ? '' : toZonedIso(r.enrolled_at, actor.timezone),
    sessionsAttended: Number(r.attended),
  }));
}
