import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './helpers/ical.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

async function newFeed(t: TestApp, body: Record<string, unknown> = { scope: 'practice' }, token = t.clp.token) {
  const res = await t.request('POST', '/api/v1/calendar-feeds', { token, body });
  if (res.status !== 201) throw new Error(res.text);
  return res.body;
}

const path = (url: string) => new URL(url).pathname;

describe('calendar feeds', () => {
  it('gives a private https link and a webcal link, storing only a hash of the token', async () => {
    const t = await makeTestApp();
    const feed = await newFeed(t);
    expect(feed.url).toMatch(/^https:\/\/groups\.example\.org\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(feed.webcalUrl).toBe(feed.url.replace('https://', 'webcal://'));
    expect(feed.instructions.outlook).toContain(feed.url);
    expect(feed.instructions.apple).toContain(feed.webcalUrl);
    const token = feed.url.match(/calendars\/(.+)\.ics/)[1];
    const stored = await t.db.selectFrom('calendar_feeds').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);
    const list = await t.request('GET', '/api/v1/calendar-feeds', { token: t.staff.token });
    expect(list.body.items).toEqual([expect.objectContaining({ id: feed.id, scope: 'practice', lastAccessedAt: null })]);
    expect(JSON.stringify(list.body)).not.toContain(token);
  });

  it('serves every session with stable UIDs, the right UTC times across both 2027 clock changes, and refresh hints', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const feed = await newFeed(t);
    const res = await t.request('GET', path(feed.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const { cal, events } = parseFeed(res.text);
    // No X-WR-TIMEZONE: Google-style readers would move UTC times into it (each event has its own TZID).
    expect(cal.getFirstPropertyValue('x-wr-timezone')).toBeNull();
    expect(cal.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/London');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Possilpark Health Centre: community groups');
    expect(res.text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(res.text).toContain('X-PUBLISHED-TTL:PT1H');
    expect(res.text).toMatch(/DTSTAMP:\d{8}T\d{6}Z\r\n/);
    expect(res.text).toMatch(/LAST-MODIFIED:\d{8}T\d{6}Z\r\n/);
    expect(res.text).toContain('DTSTART;TZID=Europe/London:20270330T100000');
    const byDay = new Map(events.map((e) => [e.start.slice(0, 10), e]));
    expect(byDay.get('2027-03-23')!.start).toBe('2027-03-23T10:00:00.000Z');
    expect(byDay.get('2027-03-30')!.start).toBe('2027-03-30T09:00:00.000Z');
    expect(byDay.get('2027-10-26')!.start).toBe('2027-10-26T09:00:00.000Z');
    expect(byDay.get('2027-11-02')!.start).toBe('2027-11-02T10:00:00.000Z');
    expect(byDay.get('2027-11-02')!.end).toBe('2027-11-02T11:00:00.000Z');
    const sessions = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2028-03-01`, { token: t.clp.token })).body.items;
    expect(events).toHaveLength(sessions.length);
    expect(events[0]).toMatchObject({
      uid: expect.stringMatching(/^[0-9a-f-]{36}@groups\.example\.org$/),
      summary: 'Tuesday Health Walk',
      sequence: 0,
      status: 'CONFIRMED',
    });
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(events[0]!.location).toBe('Knightswood Park');
    expect(events[0]!.description).toContain('Places taken: 0 of 12');
    expect(events[0]!.description).toContain('Meet at: Front gate on Alderman Road');
  });

  it('the same times come out whatever the server process TZ is (the ical-generator timezone trap)', async () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      const t = await makeTestApp('2027-03-01T09:00:00Z');
      await seedGroup(t);
      const { events } = parseFeed((await t.request('GET', path((await newFeed(t)).url))).text);
      expect(events.find((e) => e.start.startsWith('2027-03-30'))!.start).toBe('2027-03-30T09:00:00.000Z');
    } finally {
      process.env.TZ = before;
    }
  });

  it('keeps cancelled sessions, marked in status and summary, and moved ones at their new time, raising SEQUENCE', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const [first, second] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-10`, { token: t.clp.token })).body.items;
    const feed = await newFeed(t);
    const before = await t.request('GET', path(feed.url));
    await t.request('PATCH', `/api/v1/sessions/${first.id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Heavy rain' } });
    await t.request('PATCH', `/api/v1/sessions/${second.id}`, { token: t.clp.token, body: { startsAt: '2027-03-10T14:00:00Z' } });
    const after = await t.request('GET', path(feed.url));
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const { events } = parseFeed(after.text);
    const uidOf = (startsAt: string) => parseFeed(before.text).events.find((e) => e.start === new Date(startsAt).toISOString())!.uid;
    const cancelled = events.find((e) => e.uid === uidOf(first.startsAt))!;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', summary: 'Cancelled: Tuesday Health Walk', sequence: 1 });
    expect(cancelled.description).toContain('CANCELLED: Heavy rain');
    const moved = events.find((e) => e.uid === uidOf(second.startsAt))!;
    expect(moved).toMatchObject({ start: '2027-03-10T14:00:00.000Z', sequence: 1, status: 'CONFIRMED' });
  });

  it('answers 304 to If-None-Match and If-Modified-Since, and reuses the rendered feed while nothing changes', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seedGroup(t);
    const feed = await newFeed(t);
    const first = await t.request('GET', path(feed.url));
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await t.request('GET', path(feed.url), { headers: { 'if-none-match': etag } })).status).toBe(304);
    t.clock.advance(1_000);
    expect((await t.request('GET', path(feed.url), { headers: { 'if-modified-since': first.headers.get('last-modified')! } })).status).toBe(304);
    t.clock.advance(10 * 60_000);
    const again = await t.request('GET', path(feed.url));
    // the same bytes, DTSTAMP included: it was not rendered again
    expect(again.text).toBe(first.text);
    await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: 'Unrelated hall' } });
    const changed = await t.request('GET', path(feed.url), { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
  });

  it('sends the feed gzipped to clients that accept it, byte-identical once unzipped', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seedGroup(t);
    const feed = await newFeed(t);
    const plain = await t.request('GET', path(feed.url));
    const res = await t.app.request(path(feed.url), { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    // Each encoding is its own representation, with its own strong ETag.
    expect(res.headers.get('etag')).toBe(plain.headers.get('etag')!.replace(/"$/, '-gzip"'));
    const zipped = new Uint8Array(await res.arrayBuffer());
    expect(zipped.length).toBeLessThan(plain.text.length / 5);
    expect(gunzipSync(zipped).toString('utf8')).toBe(plain.text);
  });

  it('scopes: one group, or one CLP’s own groups', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const walk = (await seedGroup(t, { facilitatorIds: [t.clp.id] })).group;
    const yoga = (await seedGroup(t, { name: 'Chair Yoga', kind: 'chair_yoga' })).group;
    const groupFeed = await newFeed(t, { scope: 'group', groupId: yoga.id });
    const groupEvents = parseFeed((await t.request('GET', path(groupFeed.url))).text).events;
    expect(new Set(groupEvents.map((e) => e.summary))).toEqual(new Set(['Chair Yoga']));
    const mine = await newFeed(t, { scope: 'facilitator' });
    expect(mine.userId).toBe(t.clp.id);
    const myEvents = parseFeed((await t.request('GET', path(mine.url))).text).events;
    expect(new Set(myEvents.map((e) => e.summary))).toEqual(new Set(['Tuesday Health Walk']));
    expect(myEvents[0]!.description).toMatch(/Facilitator: clp clp/);
    expect(walk.id).toBeTruthy();
  });

  it('revoking a feed makes it 404 at once; bad tokens are 404 too', async () => {
    const t = await makeTestApp();
    const feed = await newFeed(t);
    expect((await t.request('GET', path(feed.url))).status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/calendar-feeds/${feed.id}`, { token: t.otherAdmin.token })).status).toBe(404);
    expect((await t.request('DELETE', `/api/v1/calendar-feeds/${feed.id}`, { token: t.clp.token })).status).toBe(204);
    const gone = await t.request('GET', path(feed.url));
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect((await t.request('GET', '/calendars/not-a-token.ics')).status).toBe(404);
    expect((await t.request('GET', `/calendars/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await t.request('GET', '/api/v1/calendar-feeds', { token: t.clp.token })).body.items).toEqual([]);
  });

  it('never contains a participant’s name, number or any patient detail', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const people = [
      {
        givenName: 'Zebulon',
        familyName: 'Quixotic-Marchbanks',
        phone: '07700 900777',
        smsConsent: true,
        accessNeeds: 'Wheelchair user, PTSD triggers',
        preferredLanguage: 'Tigrinya',
      },
      { givenName: 'Xanthippe', familyName: 'Oyelaran', phone: '07700 900888', smsConsent: true, accessNeeds: 'Fleeing domestic abuse' },
    ];
    for (const p of people) {
      const created = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: p });
      await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, {
        token: t.clp.token,
        body: { participantId: created.body.id, referralReason: 'Bereavement' },
      });
    }
    const [s] = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-03`, { token: t.clp.token })).body.items;
    t.clock.set('2027-03-02T10:30:00Z');
    await t.request('PUT', `/api/v1/sessions/${s.id}/register`, { token: t.clp.token, body: { entries: [{ participantId: 1, status: 'present' }] } });
    // A UID is a random UUID, which now and then holds '7700' by chance (CI saw 97700f5d-…): every other line is checked.
    const text = (await t.request('GET', path((await newFeed(t)).url))).text.replace(/^UID:[0-9a-f-]+@/gm, 'UID:@');
    for (const secret of [
      'Zebulon',
      'Quixotic',
      'Xanthippe',
      'Oyelaran',
      '900777',
      '900888',
      '7700',
      'PTSD',
      'abuse',
      'Tigrinya',
      'Bereavement',
      'Wheelchair',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(parseFeed(text).events[0]!.description).toContain('Places taken: 2 of 12');
  });

  it('refuses bad requests with 4xx and lets only admins and CLPs create feeds', async () => {
    const t = await makeTestApp();
    const theirGroup = (await seedGroup(t, {}, t.otherAdmin.token)).group;
    const cases: [Record<string, unknown>, number][] = [
      [{ scope: 'team' }, 400],
      [{ scope: 'group' }, 400],
      [{ scope: 'practice', groupId: 1 }, 400],
      [{ scope: 'group', groupId: theirGroup.id }, 404],
      [{ scope: 'facilitator', userId: t.otherAdmin.id }, 404],
      [{ scope: 'facilitator', userId: t.admin.id }, 403],
    ];
    for (const [body, status] of cases)
      expect((await t.request('POST', '/api/v1/calendar-feeds', { token: t.clp.token, body })).status, JSON.stringify(body)).toBe(status);
    // Staff may not make a CLP's own feed.
    expect((await t.request('POST', '/api/v1/calendar-feeds', { token: t.staff.token, body: { scope: 'facilitator' } })).status).toBe(403);
    expect((await t.db.selectFrom('calendar_feeds').selectAll().where('practice_id', '=', t.practice.id).execute()).length).toBe(0);
    const adminFeed = await newFeed(t, { scope: 'facilitator', userId: t.clp.id }, t.admin.token);
    expect(adminFeed.userId).toBe(t.clp.id);
  });

  it('staff get a feed link for themselves and revoke only their own', async () => {
    const t = await makeTestApp();
    const { group } = await seedGroup(t);
    const mine = await t.request('POST', '/api/v1/calendar-feeds', { token: t.staff.token, body: { scope: 'group', groupId: group.id } });
    expect(mine.status).toBe(201);
    expect(mine.body.url).toMatch(/\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
    const clps = await t.request('POST', '/api/v1/calendar-feeds', { token: t.clp.token, body: { scope: 'practice' } });
    expect((await t.request('DELETE', `/api/v1/calendar-feeds/${clps.body.id}`, { token: t.staff.token })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/calendar-feeds/${mine.body.id}`, { token: t.staff.token })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/calendar-feeds', { token: t.staff.token })).body.items.map((f: { id: number }) => f.id)).toEqual([clps.body.id]);
  });
});
