import type { Db } from '../src/db/schema.js';
import type { Clock } from '../src/lib/time/clock.js';
import { createGroup } from '../src/groups/groups-service.js';
import { createFeed } from '../src/feeds/feeds-service.js';
import { createPractice, createUser } from '../src/users/users-service.js';
import { createVenue } from '../src/venues/venues-service.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

/** 30 weekly groups with a year of sessions (~1,500 events in a practice feed). */
export async function seedFeedPractice(db: Db, clock: Clock) {
  const practice = await createPractice(db, clock, 'Bench Practice');
  const clp = await createUser(db, clock, practice.id, { email: 'clp@bench.test', name: 'Aisha Link-Worker', role: 'clp', password: 'bench password' }, 1000);
  const venue = await createVenue(db, clock, practice.id, {
    name: 'Springburn Park',
    address: 'Springburn Road, Glasgow G21',
    meetingPoint: 'Front gate by the Winter Gardens',
    accessibility: null,
  });
  for (let i = 0; i < 30; i++) {
    await createGroup(
      db,
      clock,
      { practiceId: practice.id, timezone: 'Europe/London', horizonDays: 366 },
      {
        name: `Group ${i + 1}: health walk`,
        kind: 'health_walk',
        venueId: venue.id,
        capacity: 12,
        description: 'A gentle 2-mile loop of the park at chatting pace; benches on the way and tea after.',
        smsLabel: null,
        facilitatorIds: [clp.id],
        reminderOffsetsMinutes: [1440, 120],
        status: 'active',
        schedule: {
          frequency: 'weekly',
          weekdays: [WEEKDAYS[i % 5]!],
          weekOfMonth: null,
          startTime: `${String(9 + (i % 8)).padStart(2, '0')}:30`,
          durationMinutes: 60,
          startDate: '2027-01-04',
          until: null,
          count: null,
        },
      },
    );
  }
  const { feed, token } = await createFeed(db, { id: clp.id, practiceId: practice.id, role: 'clp' }, clock.now().getTime(), { scope: 'practice' });
  return { feed, token, practice };
}
