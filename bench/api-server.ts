import { createApp } from '../src/app.js';
import { kyselyFor, openSqlite } from '../src/db/sqlite.js';
import { listen, nodeServer } from '../src/node/node-listener.js';
import { systemClock, ManualClock } from '../src/lib/time/clock.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';

/** The app on an existing SQLite file, for HTTP benchmarks; prints its port, and its peak RSS on SIGTERM. */
const [path, nowIso] = process.argv.slice(2);
const db = kyselyFor(openSqlite(path!));
const clock = nowIso ? new ManualClock(nowIso) : systemClock;
const app = createApp({
  db,
  clock,
  templates: loadTemplates(),
  // wrk is one address: the public pages' per-address limit would answer it 429 after the first 120.
  config: { publicBaseUrl: 'https://bench.example.org', horizonDays: 366, sessionTtlHours: 24 * 400, publicPerMinute: 1e9 },
});
// As `npm start` serves it.
const server = nodeServer(app.fetch, clock);
console.log(JSON.stringify({ port: await listen(server, 0, '127.0.0.1') }));
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  server.close(() => process.exit(0));
});
