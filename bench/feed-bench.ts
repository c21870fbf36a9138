import { spawn } from 'node:child_process';
import { vtimezone } from '../src/feeds/vtimezones.js';
import ical from 'ical-generator';
import { DateTime } from 'luxon';
import { ManualClock } from '../src/lib/time/clock.js';
import { feedSessions, feedWindow } from '../src/feeds/feed-data.js';
import { renderFeed } from '../src/feeds/feed-render.js';
import { benchDb, line, medianMs } from './bench-lib.js';
import { handSerialize } from './hand-serializer.js';
import { load } from './load.js';
import { seedFeedPractice } from './seed-feed-practice.js';

/** Issue 5: cold render per event against a hand-written floor; cached feed and 304 against a bare route. */
export async function feedBench(): Promise<void> {
  const clock = new ManualClock('2027-03-01T09:00:00Z');
  const { db } = await benchDb();
  const { feed } = await seedFeedPractice(db, clock);
  const now = clock.now().getTime();
  const sessions = await feedSessions(db, feed, feedWindow(now, 'Europe/London'));
  const n = sessions.length;
  const meta = { name: feed.name, zone: 'Europe/London', uidDomain: 'bench.example.org', now };
  const vtz = vtimezone('Europe/London')!.replace(/\r?\n/g, '\r\n').trim() + '\r\n';

  const floor = await medianMs(() => handSerialize(sessions, now, vtz), 9, 2);
  const ours = await medianMs(() => renderFeed(meta, sessions), 9, 2);
  // ical-generator's own toString (its own folding) for the same events, to show what was avoided.
  const plain = await medianMs(
    () => {
      const cal = ical({ timezone: { name: null, generator: vtimezone } });
      for (const s of sessions)
        cal.createEvent({
          id: String(s.id),
          timezone: 'Europe/London',
          start: DateTime.fromMillis(s.starts_at, { zone: 'Europe/London' }),
          end: DateTime.fromMillis(s.ends_at, { zone: 'Europe/London' }),
          summary: s.group_name,
          description: s.group_description,
          location: s.venue_name,
          stamp: new Date(now),
        });
      return cal.toString();
    },
    3,
    1,
  );
  await db.destroy();
  const us = (ms: number) => `${((ms * 1000) / n).toFixed(1)} µs/event`;
  console.log(`\nCalendar feed: 30 groups × 1 year = ${n} events`);
  line('floor: hand-written serializer', us(floor), 'floor', 1);
  line('cold render (ical-generator + our folding)', us(ours), 'floor', ours / floor, `${ours.toFixed(0)} ms a feed`);
  line('ical-generator with its own folding', us(plain), 'floor', plain / floor, `${plain.toFixed(0)} ms a feed`);

  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/feed-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const info = await new Promise<{ port: number; feedPath: string }>((resolve) => child.stdout!.once('data', (d) => resolve(JSON.parse(String(d)))));
    const first = await fetch(`http://127.0.0.1:${info.port}${info.feedPath}`, { headers: { 'accept-encoding': 'gzip' } });
    const etag = first.headers.get('etag')!;
    await first.text();
    const bare = await load(info.port, '/healthz');
    const cached = await load(info.port, info.feedPath);
    const cachedGzip = await load(info.port, info.feedPath, { headers: { 'accept-encoding': 'gzip' } });
    const notModified = await load(info.port, info.feedPath, { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    line('floor: bare route (/healthz), same server', `${bare.rps.toFixed(0)} req/s`, 'floor', 1, `p99 ${bare.p99.toFixed(1)} ms`);
    line(
      'cached feed (200, full body)',
      `${cached.rps.toFixed(0)} req/s`,
      'floor',
      cached.rps / bare.rps,
      `p99 ${cached.p99.toFixed(1)} ms ${JSON.stringify(cached.statuses)}`,
    );
    line(
      'cached feed, gzip (200)',
      `${cachedGzip.rps.toFixed(0)} req/s`,
      'floor',
      cachedGzip.rps / bare.rps,
      `p99 ${cachedGzip.p99.toFixed(1)} ms ${JSON.stringify(cachedGzip.statuses)}`,
    );
    line(
      'conditional GET (304)',
      `${notModified.rps.toFixed(0)} req/s`,
      'floor',
      notModified.rps / bare.rps,
      `p99 ${notModified.p99.toFixed(1)} ms ${JSON.stringify(notModified.statuses)}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}
