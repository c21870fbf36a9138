import { ManualClock } from '../src/lib/time/clock.js';
import { programmeImpact } from '../src/reports/programme/programme-impact.js';
import { runReminders } from '../src/sms/outbox/run-reminders.js';
import { LocalTransport } from '../src/sms/twilio/local-transport.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { benchDb, line, longestHold, medianMs } from './bench-lib.js';
import { goal } from './goals.js';
import { seedLarge } from './large-seed.js';

const SHAPE = { practices: 300, groups: 5, people: 20, weeks: 52 };

/**
 * Issue 25: the programme grown to 300 practices (each 5 groups × 20 people, a year of registers,
 * wellbeing and GP figures). The programme impact report at 10, 100 and 300 practices, with its
 * cost per practice (flat when it is linear), and how long the first reminder pass after a start
 * holds the thread that answers requests.
 */
export async function programmeBench(): Promise<void> {
  const { db, sqlite } = await benchDb();
  const t0 = performance.now();
  const seeded = await seedLarge(db, sqlite, SHAPE);
  console.log(
    `\nProgramme: ${SHAPE.practices} practices × ${SHAPE.groups} groups × ${SHAPE.people} people, ${seeded.attendance.toLocaleString('en-GB')} attendance rows; seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  const actor = { id: 1, practiceId: 1, timezone: 'Europe/London' };
  const range = { from: '2026-11-01', to: '2027-10-31' };
  const ids = (sqlite.prepare('SELECT id FROM practices ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  const perPractice: number[] = [];
  let at300 = 0;
  for (const n of [10, 100, 300]) {
    const some = ids.slice(0, n);
    const ms = await medianMs(() => programmeImpact(db, { actor, practiceIds: some }, seeded.now, range), n === 300 ? 3 : 5, 1);
    perPractice.push(ms / n);
    if (n === 300) at300 = ms;
    line(
      `programme impact report, ${n} practices`,
      `${ms.toFixed(0)} ms`,
      `ms a practice: ${(ms / n).toFixed(2)}`,
      ms / n / perPractice[0]!,
      'x the cost a practice at 10',
    );
  }
  goal({
    measure: 'programme impact report at 300 practices',
    filed: '3.75 s (7 → 12.5 ms a practice from 10 to 300)',
    now: `${(at300 / 1000).toFixed(2)} s (${perPractice.map((x) => x.toFixed(1)).join(' → ')} ms a practice at 10, 100, 300)`,
    goal: '< 1.2 s, linear',
    met: at300 < 1200 && perPractice[2]! < perPractice[0]! * 1.5,
  });

  const clock = new ManualClock(new Date(seeded.now));
  const first = await longestHold(() => runReminders({ db, sms: new LocalTransport(), clock, templates: loadTemplates() }));
  line(
    'first reminder pass after a start, 300 practices',
    `${(first.took / 1000).toFixed(1)} s`,
    'longest hold of the thread',
    first.longest / 30,
    `${first.longest.toFixed(0)} ms at most`,
  );
  goal({
    measure: 'the first reminder pass at 300 practices',
    filed: '46 s, holding the thread 51 ms at most',
    now: `${(first.took / 1000).toFixed(1)} s, holding the thread ${first.longest.toFixed(0)} ms at most`,
    goal: 'holds the thread ≤ 30 ms',
    met: first.longest <= 30,
  });
  await db.destroy();
}
