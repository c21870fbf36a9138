import { ManualClock } from '../src/lib/time/clock.js';
import { localDate } from '../src/lib/time/time.js';
import { topUpSessions } from '../src/sessions/session-sync.js';
import { createPractice } from '../src/users/users-service.js';
import { benchDb, line } from './bench-lib.js';
import { goal } from './goals.js';

const GROUPS = 1_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Issue 17: materialising 1,000 weekly groups a year ahead (52 weeks each, across both clock
 * changes), against the floor of inserting the same rows with one prepared statement.
 */
export async function materialiseBench(): Promise<void> {
  const { db, sqlite } = await benchDb();
  const now = Date.parse('2027-01-04T08:00:00Z');
  const practice = await createPractice(db, new ManualClock(new Date(now)), 'Materialise');
  const venue = await db
    .insertInto('venues')
    .values({ practice_id: practice.id, name: 'Hall', address: null, meeting_point: null, accessibility: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const groups = [];
  for (let i = 0; i < GROUPS; i++) {
    groups.push(
      await db
        .insertInto('community_groups')
        .values({
          practice_id: practice.id,
          name: `Group ${i}`,
          kind: 'other',
          description: null,
          venue_id: venue.id,
          capacity: null,
          sms_label: null,
          reminder_offsets: '[1440,120]',
          status: 'active',
          week_of_month: null,
          until_date: null,
          occurrence_count: null,
          materialised_until: null,
          frequency: 'weekly',
          weekdays: WEEKDAYS[i % 7]!,
          start_time: `${String(9 + (i % 9)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
          duration_minutes: 60,
          start_date: '2027-01-04',
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  }
  const t0 = performance.now();
  const synced = await topUpSessions(db, now, 364);
  if (synced !== GROUPS) throw new Error(`materialise: ${synced} groups synced`);
  const took = performance.now() - t0;
  const rows = sqlite.prepare('SELECT * FROM sessions').all() as Record<string, unknown>[];

  // DST-correct: a 10:00 group is at 10:00 local in January, April and November.
  const ten = groups.find((g) => g.start_time === '10:00')!;
  const local = (sqlite.prepare('SELECT starts_at FROM sessions WHERE group_id = ? ORDER BY starts_at').all(ten.id) as { starts_at: number }[]).map((r) =>
    new Date(r.starts_at).toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }),
  );
  if (new Set(local).size !== 1 || local[0] !== '10:00') throw new Error(`materialise: local times drifted: ${[...new Set(local)].join(', ')}`);

  // The floor: the same rows again, one prepared INSERT each in one transaction, no trigger work skipped.
  sqlite.exec('DELETE FROM sessions');
  const cols = Object.keys(rows[0]!).filter((c) => c !== 'id');
  const insert = sqlite.prepare(`INSERT INTO sessions (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  const f0 = performance.now();
  sqlite.transaction(() => rows.forEach((r) => insert.run(...cols.map((c) => r[c]))))();
  const floor = performance.now() - f0;

  console.log(
    `\nMaterialise ${GROUPS.toLocaleString('en-GB')} weekly groups a year ahead (${rows.length.toLocaleString('en-GB')} sessions, from ${localDate(now, 'Europe/London')})`,
  );
  line('floor: prepared INSERTs in one transaction', `${floor.toFixed(0)} ms`, 'floor', 1);
  line('topUpSessions (the pass), 50 groups a transaction', `${took.toFixed(0)} ms`, 'floor', took / floor, 'DST-correct (10:00 stays 10:00 local)');
  goal({
    measure: `materialise ${GROUPS.toLocaleString('en-GB')} groups × 52 weeks`,
    filed: '7.9 s',
    now: `${(took / 1000).toFixed(2)} s (${(took / floor).toFixed(1)}× the insert floor)`,
    goal: '< 0.5 s, DST-correct',
    met: took < 500,
  });
  await db.destroy();
}
