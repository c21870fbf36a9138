import type Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { Db } from '../src/db/schema.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { addPractice } from '../src/practice/practices-service.js';
import { REBUILD_SUMMARIES_SQL } from '../src/reports/attendance/summary-tables.js';
import { bootstrapAdmin, createUser } from '../src/users/users-service.js';

const facilitatorOf = new Map<number, number>();

export const PRACTICES = 100;
export const GROUPS = 20;
export const PEOPLE = 30;
export const WEEKS = 156;
export const BENCH_PASSWORD = 'bench password 123';
const KINDS = ['allotment', 'health_walk', 'mindfulness', 'chair_yoga', 'peer_support', 'book_club', 'other'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const STATUSES = ['present', 'present', 'present', 'late', 'absent', 'apologies', 'present'];

/** A well-formed, unique CHI number for a bench participant (null when its check digit would be 10). */
function benchChi(pid: number): string | null {
  const n = Math.floor(pid / 900);
  const dob = `${String(1 + (n % 28)).padStart(2, '0')}${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}${String(50 + Math.floor(n / 336)).padStart(2, '0')}`;
  const nine = `${dob}${100 + (pid % 900)}`;
  const sum = [...nine].reduce((t, d, i) => t + Number(d) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : `${nine}${check}`;
}

/**
 * 100 practices × 20 weekly groups × 30 participants with three years of sessions and registers,
 * written with raw prepared statements (seeding is not what is measured). Returns the "now".
 */
const SEED_NOW = DateTime.fromISO('2027-11-01T12:00:00Z').toMillis();

export interface SeedShape {
  practices: number;
  groups: number;
  people: number;
  weeks: number;
  /** The seed's "today"; a fixed day in 2027 by default. The national bench seeds up to the real today, which workerd's clock (not movable) also sees. */
  now?: number;
}

export async function seedLarge(
  db: Db,
  sqlite: Database.Database,
  shape: SeedShape = { practices: PRACTICES, groups: GROUPS, people: PEOPLE, weeks: WEEKS },
): Promise<{ now: number; sessions: number; attendance: number }> {
  const { practices: PRACTICES, groups: GROUPS, people: PEOPLE, weeks: WEEKS } = shape;
  const now = shape.now ?? SEED_NOW;
  // Monday `weeks` weeks before now (2024-11-04 for three years): the registers run up to today, a year more is to come.
  const start = DateTime.fromMillis(now, { zone: 'Europe/London' }).minus({ weeks: WEEKS }).startOf('week').startOf('day');
  // Practices, their CLPs and memberships go through the app's own code (issue 12); only the bulk
  // of groups, sessions and registers is raw SQL. A programme admin creates each practice.
  const clock = new ManualClock(new Date(now));
  await bootstrapAdmin(db, clock, { email: 'programme@bench.test', password: BENCH_PASSWORD, name: 'Programme', practiceName: 'Practice 1' }, 1000);
  await db.updateTable('practices').set({ code: '40001' }).where('id', '=', 1).execute();
  for (let p = 2; p <= PRACTICES; p++) await addPractice(db, clock, 1, { name: `Practice ${p}`, code: String(40000 + p) });
  for (let p = 1; p <= PRACTICES; p++) {
    const u = await createUser(db, clock, p, { email: `clp${p}@bench.test`, name: `CLP ${p}`, role: 'clp', password: BENCH_PASSWORD }, 1000);
    facilitatorOf.set(p, u.id);
  }
  const q = {
    venue: sqlite.prepare(
      `INSERT INTO venues (id, practice_id, name, address, meeting_point, created_at, updated_at) VALUES (?, ?, ?, 'Somewhere, Glasgow', 'Front gate', ${now}, ${now})`,
    ),
    group:
      sqlite.prepare(`INSERT INTO community_groups (id, practice_id, name, kind, description, venue_id, capacity, sms_label, frequency, weekdays, start_time, duration_minutes, start_date, materialised_until, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'A friendly weekly group.', ?, ${PEOPLE}, 'your group', 'weekly', ?, '10:30', 60, '2024-11-04', '2028-11-01', ${now}, ${now})`),
    facilitator: sqlite.prepare('INSERT INTO group_facilitators (group_id, user_id) VALUES (?, ?)'),
    person: sqlite.prepare(
      `INSERT INTO participants (id, practice_id, given_name, family_name, phone, sms_consent, sms_consent_at, gender, created_at, updated_at) VALUES (?, ?, ?, 'Bench', ?, 1, ${now}, ?, ${now}, ${now})`,
    ),
    enrolment: sqlite.prepare(
      `INSERT INTO enrolments (practice_id, group_id, participant_id, status, referral_source, requested_at, enrolled_at, created_at, updated_at) VALUES (?, ?, ?, 'active', 'gp', ?, ?, ?, ?)`,
    ),
    session:
      sqlite.prepare(`INSERT INTO sessions (id, practice_id, group_id, occurrence_date, starts_at, ends_at, venue_id, status, cancel_reason, edited, sequence, created_at, updated_at, register_taken_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ${now}, ${now}, ?)`),
    attendance: sqlite.prepare(
      `INSERT INTO attendance (session_id, participant_id, practice_id, status, drop_in, recorded_by, recorded_at) VALUES (?, ?, ?, ?, 0, ?, ?)`,
    ),
    chi: sqlite.prepare('UPDATE participants SET chi_number = ? WHERE id = ?'),
    outcome: sqlite.prepare(
      `INSERT INTO outcomes (practice_id, participant_id, measure, answers, raw_score, metric_score, taken_on, recorded_by, created_at) VALUES (?, ?, 'swemwbs', ?, ?, ?, ?, ?, ${now})`,
    ),
    gp: sqlite.prepare(
      `INSERT INTO gp_appointments (practice_id, chi_number, period_from, period_to, appointments, imported_at) VALUES (?, ?, ?, ?, ?, ${now})`,
    ),
  };
  let sessionId = 0;
  let attendance = 0;
  // The triggers that keep feed versions would fire millions of times here; seeding skips them.
  const triggers = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as { name: string; sql: string }[];
  for (const t of triggers) sqlite.exec(`DROP TRIGGER ${t.name}`);
  for (let p = 1; p <= PRACTICES; p++) {
    sqlite.transaction(() => {
      q.venue.run(p, p, `Venue ${p}`);
      for (let g = 0; g < GROUPS; g++) {
        const groupId = (p - 1) * GROUPS + g + 1;
        const day = g % 5;
        q.group.run(groupId, p, `Group ${groupId}`, KINDS[g % KINDS.length], p, DAYS[day]);
        q.facilitator.run(groupId, facilitatorOf.get(p)!);
        for (let i = 0; i < PEOPLE; i++) {
          const pid = (groupId - 1) * PEOPLE + i + 1;
          q.person.run(pid, p, `Person${pid}`, `+447${String(100000000 + pid).slice(-9)}`, i % 2 ? 'female' : 'male');
          const joinedAt = start.plus({ weeks: i % 10 });
          const joined = joinedAt.toMillis();
          q.enrolment.run(p, groupId, pid, joined, joined, joined, joined);
          // The impact report's wellbeing and GP sections: a baseline and a 13-week follow-up, and a CHI with counts.
          const joinedOn = joinedAt.toISODate()!;
          q.outcome.run(p, pid, '[3,3,3,3,3,3,3]', 21, 19.25, joinedOn, facilitatorOf.get(p)!);
          q.outcome.run(p, pid, '[4,4,4,4,4,4,4]', 28, 25.03, joinedAt.plus({ weeks: 13 }).toISODate()!, facilitatorOf.get(p)!);
          const chi = benchChi(pid);
          if (chi) {
            q.chi.run(chi, pid);
            q.gp.run(p, chi, joinedAt.minus({ days: 365 }).toISODate()!, joinedAt.minus({ days: 1 }).toISODate()!, 6 + (pid % 5));
            q.gp.run(p, chi, joinedOn, '2027-10-31', 3 + (pid % 4));
          }
        }
        for (let w = 0; w < WEEKS + 52; w++) {
          const s = start.plus({ weeks: w, days: day }).set({ hour: 10, minute: 30 });
          const past = s.toMillis() < now;
          const cancelled = (w * 7 + g) % 23 === 0;
          sessionId++;
          q.session.run(
            sessionId,
            p,
            groupId,
            s.toISODate(),
            s.toMillis(),
            s.plus({ hours: 1 }).toMillis(),
            p,
            cancelled ? 'cancelled' : 'scheduled',
            cancelled ? 'Weather' : null,
            past ? 1 : 0,
            past && !cancelled ? s.toMillis() : null,
          );
          if (!past || cancelled) continue;
          for (let i = 0; i < PEOPLE; i++) {
            if (i % 10 > w) continue;
            q.attendance.run(sessionId, (groupId - 1) * PEOPLE + i + 1, p, STATUSES[(w + i * 3 + g) % STATUSES.length], p, s.toMillis());
            attendance++;
          }
        }
      }
    })();
  }
  for (const t of triggers) sqlite.exec(t.sql);
  // The summaries the triggers would have kept, worked out once from the marks.
  for (const statement of REBUILD_SUMMARIES_SQL) sqlite.exec(statement);
  sqlite.exec('ANALYZE');
  return { now, sessions: sessionId, attendance };
}

/** What seedLarge returns, read back from a set seeded earlier. */
export function seededFigures(sqlite: Database.Database): { now: number; sessions: number; attendance: number } {
  const count = (table: string) => (sqlite.prepare(`SELECT max(rowid) AS n FROM ${table}`).get() as { n: number }).n;
  // The practices were created at the seed's "now".
  const { now } = sqlite.prepare('SELECT min(created_at) AS now FROM practices').get() as { now: number };
  return { now, sessions: count('sessions'), attendance: count('attendance') };
}
