import { DateTime } from 'luxon';
import { attendanceReport } from '../src/reports/attendance/attendance-report.js';
import { benchDb, line, medianMs } from './bench-lib.js';

const GROUPS = 20;
const PEOPLE_PER_GROUP = 30;
const YEARS = 3;

/**
 * Issue 3's target: the attendance report over 3 years of one practice answers in under 200 ms.
 * Floor: one raw prepared aggregate over the same attendance rows (the least any report must read).
 */
export async function reportBench(): Promise<void> {
  const { db, sqlite } = await benchDb();
  const now = DateTime.fromISO('2027-11-01T12:00:00Z').toMillis();
  const start = DateTime.fromISO('2024-11-05T10:00:00', { zone: 'Europe/London' });
  sqlite.exec(`INSERT INTO practices (id, name, timezone, created_at) VALUES (1, 'Bench practice', 'Europe/London', ${now})`);
  sqlite.exec(
    `INSERT INTO users (id, practice_id, email, name, role, password_hash, created_at, updated_at) VALUES (1, 1, 'clp@bench.test', 'CLP', 'clp', 'x', ${now}, ${now})`,
  );
  sqlite.exec(`INSERT INTO venues (id, practice_id, name, created_at, updated_at) VALUES (1, 1, 'Hall', ${now}, ${now})`);
  const insertGroup =
    sqlite.prepare(`INSERT INTO community_groups (id, practice_id, name, kind, venue_id, capacity, frequency, weekdays, start_time, duration_minutes, start_date, created_at, updated_at)
    VALUES (?, 1, ?, 'health_walk', 1, ${PEOPLE_PER_GROUP}, 'weekly', 'tue', '10:00', 60, '2024-11-05', ${now}, ${now})`);
  const insertPerson = sqlite.prepare(
    `INSERT INTO participants (id, practice_id, given_name, phone, sms_consent, created_at, updated_at) VALUES (?, 1, ?, ?, 1, ${now}, ${now})`,
  );
  const insertEnrolment = sqlite.prepare(
    `INSERT INTO enrolments (practice_id, group_id, participant_id, status, referral_source, requested_at, enrolled_at, created_at, updated_at) VALUES (1, ?, ?, 'active', 'gp', ?, ?, ?, ?)`,
  );
  const insertSession =
    sqlite.prepare(`INSERT INTO sessions (id, practice_id, group_id, occurrence_date, starts_at, ends_at, venue_id, status, edited, sequence, created_at, updated_at, register_taken_at)
    VALUES (?, 1, ?, ?, ?, ?, 1, ?, 1, 0, ${now}, ${now}, ?)`);
  const insertAttendance = sqlite.prepare(
    `INSERT INTO attendance (session_id, participant_id, practice_id, status, drop_in, recorded_by, recorded_at) VALUES (?, ?, 1, ?, 0, 1, ?)`,
  );
  const statuses = ['present', 'present', 'present', 'late', 'absent', 'apologies'];
  let sessionId = 0;
  let attendanceRows = 0;
  sqlite.transaction(() => {
    for (let g = 1; g <= GROUPS; g++) {
      insertGroup.run(g, `Group ${g}`);
      for (let p = 0; p < PEOPLE_PER_GROUP; p++) {
        const pid = g * 1000 + p;
        insertPerson.run(pid, `Person ${pid}`, `+4477009${String(pid).padStart(5, '0')}`);
        const joined = start.plus({ weeks: p }).toMillis();
        insertEnrolment.run(g, pid, joined, joined, joined, joined);
      }
      for (let w = 0; w < YEARS * 52; w++) {
        const s = start.plus({ weeks: w });
        const cancelled = (w + g) % 17 === 0;
        sessionId++;
        insertSession.run(
          sessionId,
          g,
          s.toISODate(),
          s.toMillis(),
          s.plus({ hours: 1 }).toMillis(),
          cancelled ? 'cancelled' : 'scheduled',
          cancelled ? null : s.toMillis(),
        );
        if (cancelled) continue;
        for (let p = 0; p < PEOPLE_PER_GROUP; p++) {
          if (p > w) continue; // people join one a week
          insertAttendance.run(sessionId, g * 1000 + p, statuses[(w * 7 + p * 3 + g) % statuses.length], s.toMillis());
          attendanceRows++;
        }
      }
    }
  })();
  sqlite.exec('ANALYZE');
  const actor = { id: 1, practiceId: 1, timezone: 'Europe/London' };
  const floorStmt = sqlite.prepare(
    `SELECT s.group_id, count(*) AS n, count(DISTINCT a.participant_id) AS u FROM attendance a JOIN sessions s ON s.id = a.session_id WHERE a.practice_id = 1 AND a.status IN ('present','late') GROUP BY s.group_id`,
  );
  const floor = await medianMs(() => floorStmt.all());
  const full = await medianMs(() => attendanceReport(db, actor, now, { from: '2024-11-01', to: '2027-10-31' }));
  const year = await medianMs(() => attendanceReport(db, actor, now, { from: '2026-11-01', to: '2027-10-31' }));
  const oneGroup = await medianMs(() => attendanceReport(db, actor, now, { from: '2024-11-01', to: '2027-10-31', groupId: 3 }));
  console.log(`\nAttendance report: ${GROUPS} groups × ${PEOPLE_PER_GROUP} people, ${sessionId} sessions, ${attendanceRows} attendance rows (3 years)`);
  line('floor: one raw aggregate over attendance', `${floor.toFixed(1)} ms`, 'floor', 1);
  line('report, 3 years, all groups', `${full.toFixed(1)} ms`, 'floor', full / floor, full < 200 ? 'target < 200 ms: met' : 'target < 200 ms: MISSED');
  line('report, last 12 months, all groups', `${year.toFixed(1)} ms`, 'floor', year / floor);
  line('report, 3 years, one group', `${oneGroup.toFixed(1)} ms`, 'floor', oneGroup / floor);
  await db.destroy();
}
