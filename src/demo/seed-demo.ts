import { DateTime } from 'luxon';
import type { Db, GroupKind } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { createGroup } from '../groups/groups-service.js';
import type { Weekday } from '../groups/recurrence.js';
import { createPractice, createUser } from '../users/users-service.js';
import { createVenue } from '../venues/venues-service.js';

export const DEMO_PASSWORD = 'community-links-demo';

export interface DemoLogin {
  email: string;
  role: string;
  password: string;
}

interface DemoGroup {
  name: string;
  kind: GroupKind;
  venue: number;
  capacity: number | null;
  smsLabel: string | null;
  weekday: Weekday;
  startTime: string;
  durationMinutes: number;
  frequency?: 'weekly' | 'fortnightly' | 'monthly';
  description: string;
}

const GROUPS: DemoGroup[] = [
  { name: 'Possil Community Allotment', kind: 'allotment', venue: 0, capacity: 12, smsLabel: 'the allotment', weekday: 'wed', startTime: '10:00', durationMinutes: 120, description: 'Growing veg together; tools and gloves provided.' },
  { name: 'Tuesday Health Walk', kind: 'health_walk', venue: 1, capacity: 15, smsLabel: 'your Tuesday walk', weekday: 'tue', startTime: '10:00', durationMinutes: 60, description: 'A gentle 2-mile loop of the park at chatting pace.' },
  { name: 'Mindfulness for Beginners', kind: 'mindfulness', venue: 2, capacity: 10, smsLabel: 'your Monday group', weekday: 'mon', startTime: '13:30', durationMinutes: 60, description: 'Breathing and grounding practice in a quiet room.' },
  { name: 'Chair Yoga', kind: 'chair_yoga', venue: 2, capacity: 12, smsLabel: 'your Thursday class', weekday: 'thu', startTime: '11:00', durationMinutes: 45, description: 'Seated stretches for people with pain or limited mobility.' },
  { name: 'Promising Links', kind: 'peer_support', venue: 2, capacity: 8, smsLabel: 'your Friday group', weekday: 'fri', startTime: '14:00', durationMinutes: 90, description: 'A peer group for people feeling lonely or isolated. Tea and biscuits.' },
  { name: 'Book Club', kind: 'book_club', venue: 3, capacity: null, smsLabel: 'book club', weekday: 'wed', startTime: '18:00', durationMinutes: 90, frequency: 'fortnightly', description: 'Easy reads and audiobooks; nobody has to read aloud.' },
];

/** A demo practice with every group kind, venues, a CLP, staff and an admin. */
export async function seedDemo(db: Db, clock: Clock): Promise<DemoLogin[]> {
  const practice = await createPractice(db, clock, 'Demo Deep End Practice');
  const logins: DemoLogin[] = [
    { email: 'admin@demo.test', role: 'admin', password: DEMO_PASSWORD },
    { email: 'clp@demo.test', role: 'clp', password: DEMO_PASSWORD },
    { email: 'staff@demo.test', role: 'staff', password: DEMO_PASSWORD },
  ];
  const names: Record<string, string> = { admin: 'Morag Practice-Manager', clp: 'Aisha Link-Worker', staff: 'Reception Desk' };
  const users = [];
  for (const l of logins) users.push(await createUser(db, clock, practice.id, { email: l.email, role: l.role as 'admin', name: names[l.role]!, password: l.password }));
  const clp = users[1]!;
  const venues = [];
  for (const v of [
    { name: 'Possil Allotments', address: 'Balmore Road, Glasgow G22', meetingPoint: 'The green shed by the top gate', accessibility: 'Raised beds; uneven paths; no toilet on site' },
    { name: 'Springburn Park', address: 'Springburn Road, Glasgow G21', meetingPoint: 'Front gate by the Winter Gardens', accessibility: 'Mostly flat tarmac paths; benches' },
    { name: 'Health Centre Community Room', address: '85 Denmark Street, Glasgow G22', meetingPoint: 'Ground floor, ask at reception', accessibility: 'Step-free, accessible toilet, hearing loop' },
    { name: 'Possilpark Library', address: '127 Allander Street, Glasgow G22', meetingPoint: 'Upstairs meeting room (lift available)', accessibility: 'Lift; accessible toilet' },
  ]) {
    venues.push(await createVenue(db, clock, practice.id, v));
  }
  const startDate = DateTime.fromJSDate(clock.now(), { zone: 'Europe/London' }).minus({ weeks: 8 }).toISODate()!;
  for (const g of GROUPS) {
    await createGroup(db, clock, { practiceId: practice.id, timezone: 'Europe/London', horizonDays: 366 }, {
      name: g.name,
      kind: g.kind,
      venueId: venues[g.venue]!.id,
      capacity: g.capacity,
      description: g.description,
      smsLabel: g.smsLabel,
      facilitatorIds: [clp.id],
      reminderOffsetsMinutes: [1440, 120],
      status: 'active',
      schedule: { frequency: g.frequency ?? 'weekly', weekdays: [g.weekday], weekOfMonth: null, startTime: g.startTime, durationMinutes: g.durationMinutes, startDate, until: null, count: null },
    });
  }
  return logins;
}
