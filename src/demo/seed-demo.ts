import { DateTime } from 'luxon';
import type { Db, GroupKind } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import { createGroup, DEFAULT_REMINDER_OFFSETS } from '../groups/groups-service.js';
import type { Weekday } from '../groups/recurrence.js';
import { createPractice, createUser } from '../users/users-service.js';
import { createVenue } from '../venues/venues-service.js';
import { createParticipant } from '../participants/participants-service.js';
import { enrol } from '../enrolments/enrolments-service.js';
import { saveRegister } from '../attendance/register-service.js';
import { backfillSessions } from '../sessions/session-sync.js';
import { localDate } from '../lib/time/time.js';
import type { AttendanceStatus } from '../db/schema.js';

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
  {
    name: 'Possil Community Allotment',
    kind: 'allotment',
    venue: 0,
    capacity: 12,
    smsLabel: 'the allotment',
    weekday: 'wed',
    startTime: '10:00',
    durationMinutes: 120,
    description: 'Growing veg together; tools and gloves provided.',
  },
  {
    name: 'Tuesday Health Walk',
    kind: 'health_walk',
    venue: 1,
    capacity: 15,
    smsLabel: 'your Tuesday walk',
    weekday: 'tue',
    startTime: '10:00',
    durationMinutes: 60,
    description: 'A gentle 2-mile loop of the park at chatting pace.',
  },
  {
    name: 'Mindfulness for Beginners',
    kind: 'mindfulness',
    venue: 2,
    capacity: 10,
    smsLabel: 'your Monday group',
    weekday: 'mon',
    startTime: '13:30',
    durationMinutes: 60,
    description: 'Breathing and grounding practice in a quiet room.',
  },
  {
    name: 'Chair Yoga',
    kind: 'chair_yoga',
    venue: 2,
    capacity: 12,
    smsLabel: 'your Thursday class',
    weekday: 'thu',
    startTime: '11:00',
    durationMinutes: 45,
    description: 'Seated stretches for people with pain or limited mobility.',
  },
  {
    name: 'Promising Links',
    kind: 'peer_support',
    venue: 2,
    capacity: 8,
    smsLabel: 'your Friday group',
    weekday: 'fri',
    startTime: '14:00',
    durationMinutes: 90,
    description: 'A peer group for people feeling lonely or isolated. Tea and biscuits.',
  },
  {
    name: 'Book Club',
    kind: 'book_club',
    venue: 3,
    capacity: null,
    smsLabel: 'book club',
    weekday: 'wed',
    startTime: '18:00',
    durationMinutes: 90,
    frequency: 'fortnightly',
    description: 'Easy reads and audiobooks; nobody has to read aloud.',
  },
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
  for (const l of logins)
    users.push(await createUser(db, clock, practice.id, { email: l.email, role: l.role as 'admin', name: names[l.role]!, password: l.password }));
  const clp = users[1]!;
  const venues = [];
  for (const v of [
    {
      name: 'Possil Allotments',
      address: 'Balmore Road, Glasgow G22',
      meetingPoint: 'The green shed by the top gate',
      accessibility: 'Raised beds; uneven paths; no toilet on site',
    },
    {
      name: 'Springburn Park',
      address: 'Springburn Road, Glasgow G21',
      meetingPoint: 'Front gate by the Winter Gardens',
      accessibility: 'Mostly flat tarmac paths; benches',
    },
    {
      name: 'Health Centre Community Room',
      address: '85 Denmark Street, Glasgow G22',
      meetingPoint: 'Ground floor, ask at reception',
      accessibility: 'Step-free, accessible toilet, hearing loop',
    },
    {
      name: 'Possilpark Library',
      address: '127 Allander Street, Glasgow G22',
      meetingPoint: 'Upstairs meeting room (lift available)',
      accessibility: 'Lift; accessible toilet',
    },
  ]) {
    venues.push(await createVenue(db, clock, practice.id, v));
  }
  const startDate = DateTime.fromJSDate(clock.now(), { zone: 'Europe/London' }).minus({ weeks: 8 }).toISODate()!;
  const groups = [];
  for (const g of GROUPS) {
    groups.push(
      await createGroup(
        db,
        clock,
        { practiceId: practice.id, timezone: 'Europe/London', horizonDays: 366 },
        {
          name: g.name,
          kind: g.kind,
          venueId: venues[g.venue]!.id,
          capacity: g.capacity,
          description: g.description,
          smsLabel: g.smsLabel,
          facilitatorIds: [clp.id],
          reminderOffsetsMinutes: DEFAULT_REMINDER_OFFSETS,
          status: 'active',
          schedule: {
            frequency: g.frequency ?? 'weekly',
            weekdays: [g.weekday],
            weekOfMonth: null,
            startTime: g.startTime,
            durationMinutes: g.durationMinutes,
            startDate,
            until: null,
            count: null,
          },
        },
      ),
    );
  }
  await seedPeopleAndRegisters(db, clock, { id: users[0]!.id, practiceId: practice.id, timezone: 'Europe/London' }, groups, startDate);
  return logins;
}

const GIVEN = [
  'Amira',
  'Brian',
  'Chloe',
  'Dariusz',
  'Eilidh',
  'Fatima',
  'Graham',
  'Hana',
  'Ibrahim',
  'Jean',
  'Kwame',
  'Lorraine',
  'Mohammed',
  'Nadia',
  'Oksana',
  'Patrick',
  'Roya',
  'Senait',
  'Tam',
  'Yusuf',
];
const FAMILY = ['Haddad', 'McLean', 'Nowak', 'Campbell', 'Osei', 'Rahimi', 'Kowalczyk', 'Doherty', 'Tesfaye', 'Boyle'];
const LANGUAGES = [null, null, null, 'Arabic', 'Polish', 'Farsi', 'Tigrinya', 'Ukrainian'];

/** Made-up people on Ofcom's drama numbers (07700 900xxx), enrolled, with eight weeks of registers. */
async function seedPeopleAndRegisters(
  db: Db,
  clock: Clock,
  actor: { id: number; practiceId: number; timezone: string },
  groups: { id: number; capacity: number | null }[],
  startDate: string,
) {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const now = clock.now().getTime();
  const people: number[] = [];
  for (let i = 0; i < GIVEN.length; i++) {
    const language = LANGUAGES[i % LANGUAGES.length]!;
    const p = await createParticipant(db, actor, now, {
      givenName: GIVEN[i]!,
      familyName: FAMILY[i % FAMILY.length]!,
      phone: `+447700900${String(100 + i).padStart(3, '0')}`,
      smsConsent: i % 7 !== 3,
      smsConsentMethod: 'verbal',
      doNotText: i === 10,
      preferredLanguage: language,
      interpreterNeeded: language !== null && i % 2 === 0,
      accessNeeds: i % 5 === 0 ? 'Uses a walking stick; needs a seat nearby' : null,
      gender: i % 3 === 0 ? 'male' : 'female',
    });
    people.push(p.id);
  }
  const sources = ['gp', 'clp', 'self', 'other_service'];
  for (const [gi, g] of groups.entries()) {
    const members = people.filter((_, i) => (i + gi) % 3 !== 0).slice(0, (g.capacity ?? 10) + 2);
    for (const pid of members) {
      await enrol(db, actor, now, g.id, {
        participantId: pid,
        referralSource: sources[pid % sources.length]!,
        referralReason: pid % 2 ? 'Social isolation' : 'Low mood',
      });
    }
    const group = await db.selectFrom('community_groups').selectAll().where('id', '=', g.id).executeTakeFirstOrThrow();
    // Up to today, so this morning's sessions (before now) exist too.
    await backfillSessions(db, group, actor.timezone, startDate, localDate(now, actor.timezone), now);
    const past = await db.selectFrom('sessions').select(['id']).where('group_id', '=', g.id).where('starts_at', '<', now).execute();
    const active = (await db.selectFrom('enrolments').select('participant_id').where('group_id', '=', g.id).where('status', '=', 'active').execute()).map(
      (e) => e.participant_id,
    );
    for (const s of past) {
      const entries = active.map((participantId) => {
        const r = rand();
        const status: AttendanceStatus = r < 0.62 ? 'present' : r < 0.72 ? 'late' : r < 0.85 ? 'apologies' : 'absent';
        return { participantId, status };
      });
      await saveRegister(db, actor, now, s.id, entries, g.capacity === null ? Math.floor(rand() * 4) : undefined);
    }
  }
}
