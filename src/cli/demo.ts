import { listeningAt } from '../node/run-until-signal.js';
import { ConfigError, parseEnv } from '../config.js';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed-demo.js';
import { systemClock } from '../lib/time/clock.js';
import { openDatabase } from '../node/open-database.js';
import { startServer } from '../node/start-server.js';
import { stopOnSignal } from '../node/run-until-signal.js';

/** `npm run demo`: a demo practice in its own database file, then the server as `npm start` runs it. */
try {
  const raw = parseEnv({ ...process.env, DATABASE_PATH: process.env.DATABASE_PATH ?? './data/demo.db', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
  const db = await openDatabase(raw.DATABASE_PATH);
  const seeded = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  const logins = seeded ? null : await seedDemo(db, systemClock);
  await db.destroy();
  const running = await startServer(raw);
  if (logins) {
    console.log('Demo logins:');
    for (const l of logins) console.log(`  ${l.role.padEnd(6)} ${l.email}  password: ${l.password}`);
  } else {
    console.log(`Demo data already present; logins: admin@demo.test, clp@demo.test, staff@demo.test (password: ${DEMO_PASSWORD})`);
  }
  console.log(`Community Links Groups demo listening on ${listeningAt(process.env.HOST, running.port)} (database ${raw.DATABASE_PATH})`);
  stopOnSignal(running);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
