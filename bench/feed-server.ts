import { serve } from '@hono/node-server';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { benchDb } from './bench-lib.js';
import { seedFeedPractice } from './seed-feed-practice.js';

/** A server process for the feed HTTP bench: seeds, serves on 127.0.0.1, prints its port and feed path. */
const clock = new ManualClock('2027-03-01T09:00:00Z');
const { db } = await benchDb();
const { token } = await seedFeedPractice(db, clock);
const app = createApp({ db, clock, templates: loadTemplates(), config: { publicBaseUrl: 'https://bench.example.org', horizonDays: 366, sessionTtlHours: 24 } });
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ port: info.port, feedPath: `/calendars/${token}.ics` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
