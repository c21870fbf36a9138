import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/schema.js';
import { audit, type Actor } from '../../audit/audit-service.js';
import { invalid } from '../../lib/errors.js';
import { round } from '../../lib/numbers.js';
import { weeksLater } from '../figures.js';
import { addDays, startOfLocalDate, toZonedIso } from '../../lib/time/time.js';

export interface ReportRange {
  from: string;
  to: string;
  groupId?: number;
}

interface GroupRow {
  group_id: number;
  name: string;
  kind: string;
}

/**
 * The evidence funders ask for, per group and per participant, over a period of local dates.
 * Each figure is one aggregate query so three years of a practice stay fast.
 */
export async function attendanceReport(db: Db, actor: Actor, now: number, range: ReportRange) {
  if (range.to < range.from) throw invalid('"to" must not be before "from"');
  const start = startOfLocalDate(range.from, actor.timezone);
  const end = startOfLocalDate(addDays(range.to, 1), actor.timezone);
  const deliveredEnd = Math.min(end, now);
  const pid = actor.practiceId;
  const groupFilter = range.groupId !== undefined ? sql`AND g.id = ${range.groupId}` : sql``;

  const window = { start, end, deliveredEnd };
  const { groups, sessions, attendance, enrolments } = await groupCounts(db, pid, window, groupFilter);
  const people = await peopleInGroups(db, pid, window, groupFilter);

  const bySession = new Map(sessions.rows.map((r) => [r.group_id, r]));
  const byAttendance = new Map(attendance.rows.map((r) => [r.group_id, r]));
  const byEnrolment = new Map(enrolments.rows.map((r) => [r.group_id, r]));
  const iso = (ms: number | null) => (ms === null ? null : toZonedIso(ms, actor.timezone));

  const retention = (groupId: number, weeks: number) => {
    // Those who started in the period long enough ago to be judged.
    const cohort = people.rows.filter((p) => p.group_id === groupId && p.first_ever >= start && p.first_ever + weeksLater(weeks) <= deliveredEnd);
    const retained = cohort.filter((p) => (weeks === 4 ? p.after4 : p.after12) === 1).length;
    return { started: cohort.length, stillAttending: retained, rate: cohort.length ? round(retained / cohort.length) : null };
  };

  await audit(db, actor, now, { action: 'report', entity: 'attendance_report', detail: `${range.from}..${range.to}` });
  return {
    period: { from: range.from, to: range.to },
    groups: groups.map((g) => {
      const s = bySession.get(g.group_id);
      const a = byAttendance.get(g.group_id);
      const delivered = Number(s?.delivered ?? 0);
      const attended = Number(a?.attended ?? 0);
      const headcount = Number(s?.headcount ?? 0);
      const recorded = Number(a?.recorded ?? 0);
      return {
        groupId: g.group_id,
        name: g.name,
        kind: g.kind,
        sessionsDelivered: delivered,
        sessionsCancelled: Number(s?.cancelled ?? 0),
        uniqueParticipants: Number(a?.unique_participants ?? 0),
        attendances: attended,
        unnamedHeadcount: headcount,
        averageAttendance: delivered ? round((attended + headcount) / delivered) : null,
        attendanceRate: recorded ? round(attended / recorded) : null,
        newEnrolments: Number(byEnrolment.get(g.group_id)?.new_enrolments ?? 0),
        retention4Weeks: retention(g.group_id, 4),
        retention12Weeks: retention(g.group_id, 12),
      };
    }),
    participants: people.rows
      .filter((p) => p.attended > 0)
      .map((p) => ({
        participantId: p.participant_id,
        name: p.given_name === null ? '(erased)' : [p.given_name, p.family_name].filter(Boolean).join(' '),
        groupId: p.group_id,
        sessionsAttended: Number(p.attended),
        firstAttendance: iso(p.first_in),
        lastAttendance: iso(p.last_in),
      })),
  };
}

type Window = { start: number; end: number; deliveredEnd: number };

/** Per group: its sessions run and cancelled, attendances marked, and new enrolments in the window. */
async function groupCounts(db: Db, pid: number, { start, end, deliveredEnd }: Window, groupFilter: RawBuilder<unknown>) {
  const groups = (
    await sql<GroupRow>`SELECT g.id AS group_id, g.name, g.kind FROM community_groups g WHERE g.practice_id = ${pid} ${groupFilter} ORDER BY g.name`.execute(db)
  ).rows;

  const sessions = await sql<{ group_id: number; delivered: number; cancelled: number; headcount: number }>`
    SELECT s.group_id,
      sum(CASE WHEN s.status = 'scheduled' AND s.starts_at < ${deliveredEnd} THEN 1 ELSE 0 END) AS delivered,
      sum(CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
      sum(CASE WHEN s.status = 'scheduled' AND s.starts_at < ${deliveredEnd} THEN coalesce(s.headcount, 0) ELSE 0 END) AS headcount
    FROM sessions s JOIN community_groups g ON g.id = s.group_id
    WHERE s.practice_id = ${pid} AND s.starts_at >= ${start} AND s.starts_at < ${end} ${groupFilter}
    GROUP BY s.group_id`.execute(db);

  const attendance = await sql<{ group_id: number; attended: number; recorded: number; unique_participants: number }>`
    SELECT s.group_id,
      sum(CASE WHEN a.status IN ('present', 'late') THEN 1 ELSE 0 END) AS attended,
      count(*) AS recorded,
      count(DISTINCT CASE WHEN a.status IN ('present', 'late') THEN a.participant_id END) AS unique_participants
    FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN community_groups g ON g.id = s.group_id
    WHERE a.practice_id = ${pid} AND s.status = 'scheduled' AND s.starts_at >= ${start} AND s.starts_at < ${deliveredEnd} ${groupFilter}
    GROUP BY s.group_id`.execute(db);

  const enrolments = await sql<{ group_id: number; new_enrolments: number }>`
    SELECT e.group_id, count(*) AS new_enrolments
    FROM enrolments e JOIN community_groups g ON g.id = e.group_id
    WHERE e.practice_id = ${pid} AND e.enrolled_at >= ${start} AND e.enrolled_at < ${end} ${groupFilter}
    GROUP BY e.group_id`.execute(db);

  return { groups, sessions, attendance, enrolments };
}

/** Per participant and group: first and last attendance ever, and within the window; whether they came on after 4 and 12 weeks. */
async function peopleInGroups(db: Db, pid: number, { start, deliveredEnd }: Window, groupFilter: RawBuilder<unknown>) {
  return sql<{
    group_id: number;
    participant_id: number;
    given_name: string | null;
    family_name: string | null;
    first_ever: number;
    attended: number;
    first_in: number | null;
    last_in: number | null;
    after4: number | null;
    after12: number | null;
  }>`
    WITH att AS (
      SELECT s.group_id, a.participant_id, s.starts_at
      FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN community_groups g ON g.id = s.group_id
      WHERE a.practice_id = ${pid} AND a.status IN ('present', 'late') AND s.status = 'scheduled' AND s.starts_at < ${deliveredEnd} ${groupFilter}
    ), firsts AS (
      SELECT group_id, participant_id, min(starts_at) AS first_ever FROM att GROUP BY group_id, participant_id
    )
    SELECT f.group_id, f.participant_id, p.given_name, p.family_name, f.first_ever,
      sum(CASE WHEN att.starts_at >= ${start} THEN 1 ELSE 0 END) AS attended,
      min(CASE WHEN att.starts_at >= ${start} THEN att.starts_at END) AS first_in,
      max(CASE WHEN att.starts_at >= ${start} THEN att.starts_at END) AS last_in,
      max(CASE WHEN att.starts_at >= f.first_ever + ${weeksLater(4)} THEN 1 ELSE 0 END) AS after4,
      max(CASE WHEN att.starts_at >= f.first_ever + ${weeksLater(12)} THEN 1 ELSE 0 END) AS after12
    FROM firsts f
    JOIN att ON att.group_id = f.group_id AND att.participant_id = f.participant_id
    JOIN participants p ON p.id = f.participant_id
    GROUP BY f.group_id, f.participant_id
    HAVING attended > 0 OR (f.first_ever >= ${start})
    ORDER BY f.group_id, p.given_name, p.family_name, f.participant_id`.execute(db);
}
