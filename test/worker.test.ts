import type { ChildProcess } from 'node:child_process';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inQuietHours } from '../src/sms/outbox/quiet-hours.js';
import { fetchJson } from './helpers/http.js';
import { everyDay } from './helpers/schedules.js';
import { TwilioDouble } from './helpers/twilio-double.js';
import { runWrangler, stopWranglerDev, wranglerDev } from './helpers/wrangler-dev.js';
import { signInAtProvider, startOidcProvider } from './helpers/oidc-provider.js';

let dev: ChildProcess | undefined;
let base = '';
let log = '';
let persist = '';
const double = new TwilioDouble();
let provider: Awaited<ReturnType<typeof startOidcProvider>>;

/**
 * The same app inside workerd: `wrangler dev` on 127.0.0.1 with a local D1 database migrated by
 * `wrangler d1 migrations apply` from db/migrations, and the Twilio double as Twilio.
 */
beforeAll(async () => {
  await double.start();
  provider = await startOidcProvider('https://groups.example.org/auth/oidc/callback');
  provider.accounts.set('entra-admin', { email: 'admin@worker.test', tid: 'nss-tenant' });
  provider.accounts.set('entra-stranger', { email: 'someone@nhs.scot', tid: 'nss-tenant' });
  const vars = {
    ADMIN_EMAIL: 'admin@worker.test',
    ADMIN_PASSWORD: 'worker admin password',
    PRACTICE_NAME: 'Workers Practice',
    // Twilio signs the public https address; the test calls the local one.
    PUBLIC_BASE_URL: 'https://groups.example.org',
    ...double.env,
    // Workers Free: D1 refuses the 51st query of an invocation.
    D1_QUERY_BUDGET: '50',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_ALLOWED_TENANTS: 'nss-tenant',
  };
  ({ dev, base, persist } = await wranglerDev(vars, (text) => (log += text)));
}, 90_000);

afterAll(async () => {
  if (process.env.DEBUG_WORKER) {
    await new Promise((r) => setTimeout(r, 1000));
    console.log(log);
  }
  stopWranglerDev(dev);
  await double.stop();
  await provider?.stop();
});

const api = (method: string, path: string, token?: string, body?: unknown) => fetchJson(base, method, path, token, body);

describe('on Cloudflare Workers (workerd + local D1)', { timeout: 60_000 }, () => {
  it('serves the core API: sign-in, groups across the clock change, enrolment at capacity, a register batch, feeds, and the cron reminder pass', async () => {
    const login = await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' });
    expect(login.status).toBe(200);
    const token = login.body.token as string;

    expect(login.body.practice.name).toBe('Workers Practice');
    expect(login.body.user.programmeAdmin).toBe(true);

    const venue = await api('POST', '/api/v1/venues', token, { name: 'Springburn Park', meetingPoint: 'Winter Gardens gate' });
    expect(venue.status).toBe(201);
    // Idempotency-Key on D1: the retry replays the first answer instead of writing again.
    const keyed = async () =>
      (
        await fetch(`${base}/api/v1/venues`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'worker-venue-1' },
          body: JSON.stringify({ name: 'Keyed hall' }),
        })
      ).json() as Promise<{ id: number }>;
    const once = await keyed();
    expect((await keyed()).id).toBe(once.id);
    expect((await api('GET', '/api/v1/venues', token)).body.items.filter((v: { name: string }) => v.name === 'Keyed hall')).toHaveLength(1);
    const group = await api('POST', '/api/v1/groups', token, {
      name: 'Health Walk',
      kind: 'health_walk',
      venueId: venue.body.id,
      capacity: 1,
      smsLabel: 'your walk',
      schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-16', until: '2027-11-30' },
    });
    expect(group.status).toBe(201);
    const sessions = await api('GET', `/api/v1/groups/${group.body.id}/sessions?from=2027-03-20&to=2027-04-05`, token);
    expect(sessions.body.items.map((s: { startsAt: string }) => s.startsAt)).toEqual(['2027-03-23T10:00:00+00:00', '2027-03-30T10:00:00+01:00']);
    expect(
      (
        await api('POST', '/api/v1/groups', token, {
          name: 'x',
          kind: 'other',
          venueId: venue.body.id,
          schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 0, startDate: '2027-03-16' },
        })
      ).status,
    ).toBe(400);

    const people: number[] = [];
    for (const [i, name] of ['Amira', 'Brian'].entries()) {
      const p = await api('POST', '/api/v1/participants', token, { givenName: name, phone: `07700 90010${i}`, smsConsent: true });
      expect(p.status).toBe(201);
      people.push(p.body.id);
    }
    const enrolled = await Promise.all(people.map((participantId) => api('POST', `/api/v1/groups/${group.body.id}/enrolments`, token, { participantId })));
    expect(enrolled.map((e) => e.body.status).sort()).toEqual(['active', 'waitlisted']);
    expect((await api('POST', `/api/v1/groups/${group.body.id}/enrolments`, token, { participantId: people[0] })).status).toBe(409);

    const soon = DateTime.now().plus({ hours: 1 }).toUTC().toISO()!;
    const oneOff = await api('POST', `/api/v1/groups/${group.body.id}/sessions`, token, { startsAt: soon });
    expect(oneOff.status).toBe(201);
    const active = enrolled.find((e) => e.body.status === 'active')!.body.participantId;
    const reg = await api('PUT', `/api/v1/sessions/${oneOff.body.id}/register`, token, {
      entries: [{ participantId: active, status: 'present' }],
      headcount: 3,
    });
    expect(reg.status).toBe(200);
    expect(reg.body).toMatchObject({ headcount: 3, entries: [expect.objectContaining({ participantId: active, status: 'present' })] });
    const bad = await api('PUT', `/api/v1/sessions/${oneOff.body.id}/register`, token, {
      entries: [
        { participantId: active, status: 'late' },
        { participantId: 9999, status: 'present' },
      ],
    });
    expect(bad.status).toBe(400);
    expect((await api('GET', `/api/v1/sessions/${oneOff.body.id}/register`, token)).body.entries[0].status).toBe('present');

    const withdrawn = await api('DELETE', `/api/v1/groups/${group.body.id}/enrolments/${active}`, token);
    expect(withdrawn.body.promotedParticipantIds).toHaveLength(1);

    const feed = await api('POST', '/api/v1/calendar-feeds', token, { scope: 'practice' });
    const path = new URL(feed.body.url).pathname;
    const ics = await fetch(`${base}${path}`);
    const text = await ics.text();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(events.length).toBeGreaterThan(30);
    expect((await fetch(`${base}${path}`, { headers: { 'if-none-match': ics.headers.get('etag')! } })).status).toBe(304);

    // The evidence and the follow-ups run on D1 too, within the query budget.
    const impact = await api('GET', '/api/v1/reports/impact?from=2027-01-01&to=2027-12-31', token);
    expect(impact.status).toBe(200);
    expect(impact.body.byDose.map((b: { band: string }) => b.band)).toEqual(['0', '1', '2', '3-5', '6+']);
    expect((await api('GET', '/api/v1/follow-ups', token)).status).toBe(200);

    const cron = await fetch(`${base}/__scheduled?cron=*+*+*+*+*`);
    expect(cron.status).toBe(200);
    const outbox = await api('GET', '/api/v1/messages?direction=outbound', token);
    expect(outbox.body.items.length).toBeGreaterThan(0);
    if (inQuietHours(Date.now(), 'Europe/London')) {
      // Nothing goes at night: each text waits for the morning, or is dropped when its session comes first.
      expect(
        outbox.body.items.every(
          (m: { status: string; statusReason: string | null }) => m.status === 'pending' || (m.status === 'skipped' && m.statusReason === 'quiet_hours'),
        ),
      ).toBe(true);
      expect(double.accepted).toEqual([]);
    } else {
      expect(double.accepted.length).toBeGreaterThan(0);
      expect(outbox.body.items.some((m: { status: string }) => m.status === 'sent')).toBe(true);
    }
  });

  it('keeps a year-long daily group and each cron pass within 50 D1 queries, sending what is due over several passes with nothing stuck', async () => {
    const token = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' })).body.token as string;
    const venue = await api('POST', '/api/v1/venues', token, { name: 'Community garden' });
    // From the day after tomorrow: a first session tomorrow at 11:00 has its 24-hour reminders due at 11:00 today,
    // and CI running at that minute saw them sent beside the welcomes this test counts.
    const firstDay = DateTime.now().setZone('Europe/London').plus({ days: 2 }).toISODate()!;
    // 53 queries before the sessions went in as one statement: half a group behind a 500 on Workers Free.
    const group = await api('POST', '/api/v1/groups', token, {
      name: 'Daily stretch',
      kind: 'chair_yoga',
      venueId: venue.body.id,
      schedule: everyDay(firstDay, '11:00', 30),
    });
    expect(group.status).toBe(201);
    const until = DateTime.fromISO(firstDay).plus({ days: 364 }).toISODate();
    const sessions = await api('GET', `/api/v1/groups/${group.body.id}/sessions?from=${firstDay}&to=${until}`, token);
    expect(sessions.body.items).toHaveLength(365);

    for (let i = 0; i < 20; i++) {
      const p = await api('POST', '/api/v1/participants', token, {
        givenName: `Stretcher ${i}`,
        phone: `07700 9002${String(i).padStart(2, '0')}`,
        smsConsent: true,
      });
      expect((await api('POST', `/api/v1/groups/${group.body.id}/enrolments`, token, { participantId: p.body.id })).status).toBe(201);
    }
    const welcomes = async () =>
      (
        (await api('GET', '/api/v1/messages?direction=outbound&limit=200', token)).body.items as { kind: string; status: string; participantId: number }[]
      ).filter((m) => m.kind === 'welcome');
    const quiet = inQuietHours(Date.now(), 'Europe/London');
    const sentAfter: number[] = [];
    for (let pass = 0; pass < 12; pass++) {
      expect((await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);
      const now = await welcomes();
      expect(now).toHaveLength(20);
      // Never claimed and cut off: a text is pending or has gone, none sending or unknown.
      expect(now.filter((m) => m.status === 'sending' || m.status === 'unknown')).toEqual([]);
      sentAfter.push(now.filter((m) => m.status === 'sent').length);
      if (quiet || sentAfter.at(-1) === 20) break;
    }
    if (quiet) {
      expect(sentAfter).toEqual([0]);
    } else {
      // One pass cannot send 20 within 50 queries; the passes after it carry on until all have gone.
      expect(sentAfter[0]).toBeGreaterThan(0);
      expect(sentAfter[0]).toBeLessThan(20);
      expect(sentAfter.at(-1)).toBe(20);
    }
  });

  it('a volunteer leader on Workers: their register with initials and access marks, a drop-in by name, a concern; nothing else; flags on Today', async () => {
    const token = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' })).body.token as string;
    const leaderUser = await api('POST', '/api/v1/users', token, {
      email: 'lead@worker.test',
      name: 'Wanda Walker',
      role: 'leader',
      password: 'leader password 1',
    });
    expect(leaderUser.status).toBe(201);
    const venue = await api('POST', '/api/v1/venues', token, { name: 'Canal route', riskAssessedOn: '2025-01-10', riskReviewMonths: 6 });
    const group = await api('POST', '/api/v1/groups', token, {
      name: 'Canal walk',
      kind: 'health_walk',
      venueId: venue.body.id,
      facilitatorIds: [leaderUser.body.id],
      participantsPerLeader: 1,
      requiresFirstAid: true,
      schedule: { frequency: 'weekly', weekdays: ['sat'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-06' },
    });
    expect(group.status).toBe(201);
    expect((await api('POST', `/api/v1/users/${leaderUser.body.id}/credentials`, token, { kind: 'pvg', validFrom: '2025-01-01' })).status).toBe(201);
    const people: number[] = [];
    for (const body of [
      { givenName: 'Nadia', familyName: 'Rahimi', interpreterLanguage: 'fa', smsConsent: false },
      { givenName: 'Owen', familyName: 'Price', transportArranged: true, smsConsent: false },
    ]) {
      const p = await api('POST', '/api/v1/participants', token, body);
      people.push(p.body.id);
      await api('POST', `/api/v1/groups/${group.body.id}/enrolments`, token, { participantId: p.body.id });
    }
    const session = await api('POST', `/api/v1/groups/${group.body.id}/sessions`, token, { startsAt: DateTime.now().plus({ hours: 2 }).toUTC().toISO()! });
    const lead = (await api('POST', '/api/v1/auth/login', undefined, { email: 'lead@worker.test', password: 'leader password 1' })).body.token as string;
    const reg = await api('GET', `/api/v1/sessions/${session.body.id}/register`, lead);
    expect(reg.status).toBe(200);
    expect(
      reg.body.entries.map((e: { givenName: string; familyName: string | null; familyInitial: string }) => [e.givenName, e.familyName, e.familyInitial]),
    ).toEqual([
      ['Nadia', null, 'R.'],
      ['Owen', null, 'P.'],
    ]);
    expect(reg.body.entries[0].needs.interpreterLanguage).toBe('fa');
    const saved = await api('PUT', `/api/v1/sessions/${session.body.id}/register`, lead, {
      entries: [{ participantId: people[0], status: 'present' }],
      newPeople: [{ givenName: 'Morag', familyName: 'Dunn' }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.entries.find((e: { givenName: string }) => e.givenName === 'Morag')).toMatchObject({
      dropIn: true,
      status: 'present',
      familyInitial: 'D.',
    });
    const concern = await api('POST', '/api/v1/concerns', lead, {
      participantId: people[1],
      sessionId: session.body.id,
      kind: 'accident',
      urgency: 'today',
      text: 'Owen tripped on the towpath; grazed hand, cleaned',
    });
    expect(concern.status).toBe(201);
    for (const path of ['/api/v1/participants', `/api/v1/participants/${people[0]}`, '/api/v1/messages', '/api/v1/reports/impact', '/api/v1/venues']) {
      expect((await api('GET', path, lead)).status).toBe(403);
    }
    expect((await api('PATCH', `/api/v1/concerns/${concern.body.id}`, token, { status: 'closed', note: 'Checked in by phone: fine' })).body.status).toBe(
      'closed',
    );
    // Today, as the leader's page: too few leaders for two people, no first aid, the route's review long overdue.
    const today = await fetch(`${base}/today`, { headers: { cookie: `clg_session=${lead}` } });
    expect(today.status).toBe(200);
    const html = await today.text();
    expect(html).toContain('Canal walk');
    expect(html).toContain('No leader of this group holds first aid valid');
    expect(html).toContain('Risk review overdue: Canal route');
    expect(html).toContain('2 people expected with 1 leader');
    expect((await api('GET', '/api/v1/credentials/due', token)).status).toBe(200);
  });

  it('a referral on Workers: refused without consent, accepted into a group, "attended" by itself at the first mark, the reply and the coded CSV', async () => {
    const token = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' })).body.token as string;
    expect(
      (await api('POST', '/api/v1/users', token, { email: 'desk@worker.test', name: 'Rhona Desk', role: 'staff', password: 'reception password 1' })).status,
    ).toBe(201);
    const desk = (await api('POST', '/api/v1/auth/login', undefined, { email: 'desk@worker.test', password: 'reception password 1' })).body.token as string;
    const venue = await api('POST', '/api/v1/venues', token, { name: 'Library' });
    const group = await api('POST', '/api/v1/groups', token, {
      name: 'Book club',
      kind: 'book_club',
      venueId: venue.body.id,
      schedule: { frequency: 'weekly', weekdays: ['wed'], startTime: '14:00', durationMinutes: 90, startDate: '2027-03-03' },
    });
    const person = { givenName: 'Fatima', familyName: 'Noor', chiNumber: '0101901232' };
    expect((await api('POST', '/api/v1/referrals', desk, { person, reason: 'Isolated', consent: { toBeReferred: false } })).status).toBe(422);
    const made = await api('POST', '/api/v1/referrals', desk, {
      person,
      reason: 'Isolated since her husband died',
      suggestedGroupId: group.body.id,
      consent: { toBeReferred: true, shareWithReferrer: true },
    });
    expect(made.status).toBe(201);
    expect((await api('PATCH', `/api/v1/referrals/${made.body.id}`, desk, { status: 'accepted' })).status).toBe(403);
    const accepted = await api('PATCH', `/api/v1/referrals/${made.body.id}`, token, { status: 'accepted' });
    expect(accepted.body).toMatchObject({ status: 'accepted', groupName: 'Book club' });
    const session = await api('POST', `/api/v1/groups/${group.body.id}/sessions`, token, { startsAt: DateTime.now().plus({ minutes: 30 }).toUTC().toISO()! });
    await api('PUT', `/api/v1/sessions/${session.body.id}/register`, token, { entries: [{ participantId: made.body.participantId, status: 'present' }] });
    const seen = await api('GET', `/api/v1/referrals/${made.body.id}`, desk);
    expect(seen.body.history.map((h: { status: string }) => h.status)).toEqual(['received', 'accepted', 'attended']);
    const reply = await api('GET', `/api/v1/referrals/${made.body.id}/reply`, desk);
    expect(reply.body).toMatchObject({ status: 'attended', sessionsAttended: 1, groupName: 'Book club' });
    const csv = await fetch(`${base}/api/v1/referrals/events.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(await csv.text()).toContain('0101901232,871731000000106,Referral to social prescribing service');
    const page = await fetch(`${base}/referrals/${made.body.id}`, { headers: { cookie: `clg_session=${desk}` } });
    expect(await page.text()).toContain('Taking part: came to 1 session of Book club');
  });

  it("what's on, Open Referral UK and ALISS on Workers: a public walk listed, a private group nowhere", async () => {
    const token = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' })).body.token as string;
    const venue = await api('POST', '/api/v1/venues', token, { name: 'Springburn Winter Gardens', address: 'Springburn Park, Glasgow', postcode: 'g21 1ta' });
    const schedule = { frequency: 'weekly', weekdays: ['fri'], startTime: '11:00', durationMinutes: 60, startDate: '2027-03-05', until: '2027-05-28' };
    const walk = await api('POST', '/api/v1/groups', token, {
      name: 'Friday walk (internal)',
      kind: 'health_walk',
      venueId: venue.body.id,
      schedule,
      public: true,
      publicName: 'Springburn Friday Walk',
      publicSummary: 'An easy walk round Springburn Park on Friday mornings, ending at the Winter Gardens. Everyone is welcome to come.',
      publicContact: { email: 'walks@springburn.example.org' },
    });
    expect(walk.status).toBe(201);
    await api('POST', '/api/v1/groups', token, { name: 'Quiet circle (private)', kind: 'peer_support', venueId: venue.body.id, schedule });
    const page = await fetch(`${base}/whats-on`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.headers.get('cache-control')).toBe('public, max-age=300');
    const html = await page.text();
    expect(html).toContain('Springburn Friday Walk');
    expect(html).not.toMatch(/Quiet circle|internal/);
    const list = (await (await fetch(`${base}/openreferral/services`)).json()) as { contents: { id: string; name: string }[] };
    const mine = list.contents.find((c) => c.name === 'Springburn Friday Walk')!;
    expect(mine.id).toBe(walk.body.publicId);
    const service = (await (await fetch(`${base}/openreferral/services/${mine.id}`)).json()) as { schedules: { opens_at: string }[] };
    expect(new Set(service.schedules.map((s) => s.opens_at.slice(-6)))).toEqual(new Set(['+00:00', '+01:00']));
    const aliss = await api('GET', `/api/v1/groups/${walk.body.id}/aliss`, token);
    expect(aliss.body).toMatchObject({ problems: [], record: { name: 'Springburn Friday Walk', email: 'walks@springburn.example.org' } });
  });

  it('NHS sign-in on Workers: the invited admin signs in through the real provider; a stranger and a replayed state do not', async () => {
    const signIn = async (accountId: string) => {
      const start = await fetch(`${base}/auth/oidc/start`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const back = await signInAtProvider(start.headers.get('location')!, accountId, 'https://groups.example.org/auth/oidc/callback');
      const query = new URL(back).search;
      const res = await fetch(`${base}/auth/oidc/callback${query}`, { redirect: 'manual' });
      return { res, query, cookie: (res.headers.get('set-cookie') ?? '').match(/clg_session=([^;]+)/)?.[1] };
    };
    const ok = await signIn('entra-admin');
    expect(ok.cookie).toBeTruthy();
    expect((await api('GET', '/api/v1/auth/me', ok.cookie)).body.user.email).toBe('admin@worker.test');
    const stranger = await signIn('entra-stranger');
    expect(stranger.cookie).toBeUndefined();
    expect(stranger.res.headers.get('location')).toContain('/login?signin=Your%20NHS%20account%20is%20not%20set%20up%20here');
    const replay = await fetch(`${base}/auth/oidc/callback${ok.query}`, { redirect: 'manual' });
    expect(replay.headers.get('set-cookie') ?? '').not.toContain('clg_session=');
  });

  it('after a D1 Time Travel restore, a programme admin records it: everyone signs in again, and the cron checks texts with Twilio before sending', async () => {
    const token = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' })).body.token as string;
    const before = double.accepted.length;
    // As if Time Travel had brought back the database of ten minutes ago: it no longer knows the welcomes went.
    await runWrangler([
      'd1',
      'execute',
      'DB',
      '--local',
      '--persist-to',
      persist,
      '--command',
      "UPDATE messages SET status = 'pending', provider_sid = NULL, sent_at = NULL, due_at = 0 WHERE kind = 'welcome' AND status = 'sent'",
    ]);
    const restoredTo = new Date(Date.now() - 10 * 60_000).toISOString();
    const recorded = await api('POST', '/api/v1/restores', token, { restoredTo });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ backupTakenAt: restoredTo, settled: false });
    // Every session ended, the caller's too.
    expect((await api('GET', '/api/v1/groups', token)).status).toBe(401);
    const again = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' })).body.token as string;
    for (let pass = 0; pass < 12; pass++) {
      expect((await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);
      if ((await api('GET', '/api/v1/restores', again)).body.items[0].settled) break;
    }
    const [restore] = (await api('GET', '/api/v1/restores', again)).body.items;
    // Nothing Twilio already had went twice.
    expect(double.accepted.length).toBe(before);
    if (!inQuietHours(Date.now(), 'Europe/London')) {
      expect(restore).toMatchObject({ settled: true, sentAfterCheck: 0 });
      // The twenty welcomes of the daily group (and the walk's) were found in Twilio's log.
      expect(restore.foundSent).toBeGreaterThanOrEqual(20);
    }
  });

  it('the programme reports of 13 practices answer within a Workers Free invocation (50 queries, and D1 takes 100 parameters a query)', async () => {
    const login = await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@worker.test', password: 'worker admin password' });
    const token = login.body.token as string;
    const home = login.body.practice.id as number;
    const have = (await api('GET', '/api/v1/practices', token)).body.items.length as number;
    for (let k = have; k < 13; k++) {
      const made = await api('POST', '/api/v1/practices', token, { name: `Worker practice ${k}`, code: `W${k}` });
      expect(made.status).toBe(201);
      expect((await api('PUT', '/api/v1/auth/practice', token, { practiceId: made.body.id })).status).toBe(200);
      const venue = await api('POST', '/api/v1/venues', token, { name: 'Springburn Park' });
      const group = await api('POST', '/api/v1/groups', token, {
        name: 'Tuesday Health Walk',
        kind: 'health_walk',
        venueId: venue.body.id,
        capacity: 12,
        schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' },
      });
      for (const givenName of ['Amira', 'Brian']) {
        const person = await api('POST', '/api/v1/participants', token, { givenName, smsConsent: false });
        expect((await api('POST', `/api/v1/groups/${group.body.id}/enrolments`, token, { participantId: person.body.id })).status).toBe(201);
      }
    }
    await api('PUT', '/api/v1/auth/practice', token, { practiceId: home });
    for (const path of ['impact', 'attendance', 'monitoring', 'impact.csv', 'attendance.csv', 'monitoring.csv']) {
      const res = await fetch(`${base}/api/v1/programme/reports/${path}?from=2026-01-01&to=2027-12-31`, { headers: { authorization: `Bearer ${token}` } });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const text = await res.text();
      if (path === 'impact' || path === 'attendance') expect(JSON.parse(text).practices.length).toBeGreaterThanOrEqual(13);
    }
    // The first answer keeps each practice's figures in D1, the second reads them: for a year that
    // is over, and for one still running (no session of these starts before March).
    const impact = async (period: string) => {
      const res = await fetch(`${base}/api/v1/programme/reports/impact?${period}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const { producedAt: _, ...report } = (await res.json()) as Record<string, unknown>;
      return report;
    };
    for (const period of ['from=2025-01-01&to=2025-12-31', 'from=2026-01-01&to=2027-12-31']) {
      const first = await impact(period);
      expect(await impact(period)).toEqual(first);
    }
  });
});
