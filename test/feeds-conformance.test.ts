import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './helpers/ical.js';
import { pythonReadersAvailable, readWithPython } from './helpers/python-feeds.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

async function feedPath(t: TestApp, body: Record<string, unknown> = { scope: 'practice' }) {
  const res = await t.request('POST', '/api/v1/calendar-feeds', { token: t.clp.token, body });
  if (res.status !== 201) throw new Error(res.text);
  return new URL(res.body.url).pathname;
}

describe('feeds every calendar parser reads the same way', () => {
  it('a calendar name with , ; and \\ reads the same in ical.js (Thunderbird) as typed; one with CR/LF is refused and, if stored, cannot plant an event', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seedGroup(t);
    const name = 'Walks, yoga; and \\ more';
    const text = (await t.request('GET', await feedPath(t, { scope: 'practice', name }))).text;
    // ical.js reads NAME and X-WR-CALNAME raw, as Thunderbird shows them: no "\\," or "\\;".
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe(name);
    expect(cal.getFirstPropertyValue('name')).toBe(name);
    const planted = 'Groups\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:Fake\r\nEND:VEVENT';
    const refused = await t.request('POST', '/api/v1/calendar-feeds', { token: t.clp.token, body: { scope: 'practice', name: planted } });
    expect(refused.status).toBe(400);
    // Even a name that reached the database some other way is written as text.
    const path = await feedPath(t);
    await t.db.updateTable('calendar_feeds').set({ name: planted }).execute();
    const after = parseFeed((await t.request('GET', path)).text);
    expect(after.events.some((e) => e.uid === 'evil')).toBe(false);
    expect(after.cal.getFirstPropertyValue('x-wr-calname')).toBe(planted.replace(/\r\n/g, '\n'));
  });

  it('a long name in Arabic is folded by octets, every line within 75, and reads back whole; HEAD says the length GET sends', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seedGroup(t);
    const name = 'مجموعات المشي واليوغا على الكرسي في مركز بوسيلبارك الصحي';
    const path = await feedPath(t, { scope: 'practice', name });
    const res = await t.app.request(path);
    const text = await res.text();
    const octets = (l: string) => new TextEncoder().encode(l).byteLength;
    expect(text.split('\r\n').filter((l) => octets(l) > 75)).toEqual([]);
    expect(new ICAL.Component(ICAL.parse(text)).getFirstPropertyValue('x-wr-calname')).toBe(name);
    const head = await t.app.request(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(octets(text)));
    expect(res.headers.get('content-length')).toBe(String(octets(text)));
  });

  it.skipIf(!pythonReadersAvailable())(
    'ical.js, python icalendar, recurring-ical-events (Google-style) and vobject agree with the API on both clock-change nights, and on the name',
    async () => {
      const t = await makeTestApp('2027-03-01T09:00:00Z');
      // 01:30 every Sunday: on 28 March 2027 it does not exist (the schedule places it at 02:30 BST),
      // on 31 October it happens twice (the first, BST). A 10:00 group beside it on ordinary days.
      const night = await seedGroup(t, {
        name: 'Night shelter check-in',
        schedule: { frequency: 'weekly', weekdays: ['sun'], startTime: '01:30', durationMinutes: 30, startDate: '2027-03-21', until: '2027-11-07' },
      });
      const day = await t.request('POST', '/api/v1/groups', {
        token: t.clp.token,
        body: {
          name: 'Sunday walk',
          kind: 'health_walk',
          venueId: night.venueId,
          capacity: null,
          schedule: { frequency: 'weekly', weekdays: ['sun'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-21', until: '2027-11-07' },
        },
      });
      const api: [string, string][] = [];
      for (const id of [night.group.id, day.body.id]) {
        const items = (await t.request('GET', `/api/v1/groups/${id}/sessions?from=2027-03-01&to=2027-11-30`, { token: t.clp.token })).body.items;
        for (const s of items) api.push([new Date(s.startsAt).toISOString().replace('.000', ''), new Date(s.endsAt).toISOString().replace('.000', '')]);
      }
      api.sort();
      expect(api).toContainEqual(['2027-10-31T00:30:00Z', '2027-10-31T01:00:00Z']);
      expect(api).toContainEqual(['2027-03-28T01:30:00Z', '2027-03-28T02:00:00Z']);
      const name = 'Possilpark: walks, yoga; and more';
      const text = (await t.request('GET', await feedPath(t, { scope: 'practice', name }))).text;
      const times = (events: [string, string, string][]) => events.map(([, start, end]) => [start, end]).sort();
      const py = await readWithPython(text);
      expect(times(py.icalendar.events)).toEqual(api);
      expect(times(py.recurring_ical_events.events)).toEqual(api);
      expect(times(py.vobject.events)).toEqual(api);
      const js = parseFeed(text)
        .events.map((e) => [e.start.replace('.000', ''), e.end.replace('.000', '')])
        .sort();
      expect(js).toEqual(api);
      expect([py.icalendar.name, py.icalendar.calname, py.vobject.calname]).toEqual([name, name, name]);
    },
  );

  it('a UID is never given to another event, even when a schedule change deletes sessions and makes new ones', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const path = await feedPath(t);
    const before = parseFeed((await t.request('GET', path)).text).events;
    await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.clp.token,
      body: { schedule: { frequency: 'weekly', weekdays: ['thu'], startTime: '10:00', durationMinutes: 60, startDate: '2027-03-02' } },
    });
    const after = parseFeed((await t.request('GET', path)).text).events;
    const startOf = new Map(before.map((e) => [e.uid, e.start]));
    for (const e of after) if (startOf.has(e.uid)) expect(e.start, e.uid).toBe(startOf.get(e.uid));
    expect(after.filter((e) => !startOf.has(e.uid)).length).toBeGreaterThan(40);
  });

  it('DTSTAMP is when the event last changed, not the render time; no TIMEZONE-ID', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const path = await feedPath(t);
    const first = (await t.request('GET', path)).text;
    expect(first).not.toMatch(/^TIMEZONE-ID/m);
    const stampOf = (text: string) => text.match(/DTSTAMP:(\d{8}T\d{6}Z)/)![1];
    expect(stampOf(first)).toBe('20270301T090000Z');
    t.clock.set('2027-03-01T12:00:00Z');
    // A change elsewhere in the practice re-renders the feed; the untouched events keep their DTSTAMP.
    await t.request('POST', '/api/v1/venues', { token: t.clp.token, body: { name: 'Another hall' } });
    const second = (await t.request('GET', path)).text;
    expect(stampOf(second)).toBe('20270301T090000Z');
    const sessions = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-03-03`, { token: t.clp.token })).body.items;
    await t.request('PATCH', `/api/v1/sessions/${sessions[0].id}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Rain' } });
    expect(stampOf((await t.request('GET', path)).text)).toBe('20270301T120000Z');
  });

  it('01:30 on the October clock-change night is the first 01:30, in the API and in the feed alike', async () => {
    const t = await makeTestApp('2027-10-01T09:00:00Z');
    const { group } = await seedGroup(t, {
      schedule: { frequency: 'weekly', weekdays: ['sun'], startTime: '01:30', durationMinutes: 30, startDate: '2027-10-24' },
    });
    const sessions = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-10-31&to=2027-10-31`, { token: t.clp.token })).body.items;
    expect(sessions[0].startsAt).toBe('2027-10-31T01:30:00+01:00');
    const events = parseFeed((await t.request('GET', await feedPath(t))).text).events;
    expect(events.find((e) => e.start.startsWith('2027-10-31'))!.start).toBe('2027-10-31T00:30:00.000Z');
    // The week before, an ordinary night, keeps its TZID.
    expect(events.find((e) => e.start.startsWith('2027-10-24'))!.start).toBe('2027-10-24T00:30:00.000Z');
    // A wall time typed by a CLP means the same.
    const oneOff = await t.request('POST', `/api/v1/groups/${group.id}/sessions`, { token: t.clp.token, body: { startsAt: '2027-10-31T01:45' } });
    expect(oneOff.body.startsAt).toBe('2027-10-31T01:45:00+01:00');
  });

  it("conditional answers are exact: a moved window, gzip;q=0 and each encoding's own ETag", async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seedGroup(t);
    const path = await feedPath(t);
    const first = await t.request('GET', path);
    t.clock.advance(1_000);
    const lm = first.headers.get('last-modified')!;
    expect((await t.request('GET', path, { headers: { 'if-modified-since': lm } })).status).toBe(304);
    // A day later the one-year window has moved and a new session has come into it.
    t.clock.set('2027-03-02T09:00:00Z');
    const moved = await t.request('GET', path, { headers: { 'if-modified-since': lm } });
    expect(moved.status).toBe(200);
    expect(parseFeed(moved.text).events.length).toBeGreaterThanOrEqual(parseFeed(first.text).events.length);
    const refuse = await t.app.request(path, { headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refuse.headers.get('content-encoding')).toBeNull();
    const zipped = await t.app.request(path, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('etag')).not.toBe(refuse.headers.get('etag'));
    // Revalidating the identity copy with the gzip tag must not claim it is unchanged.
    expect((await t.app.request(path, { headers: { 'if-none-match': zipped.headers.get('etag')! } })).status).toBe(200);
    expect((await t.app.request(path, { headers: { 'if-none-match': zipped.headers.get('etag')!, 'accept-encoding': 'gzip' } })).status).toBe(304);
  });
});
