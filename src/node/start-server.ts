import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../app.js';
import { appConfigFrom, type RawConfig } from '../config.js';
import type { Db } from '../db/schema.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { topUpSessions } from '../sessions/session-sync.js';
import { bootstrapAdmin } from '../users/users-service.js';
import { openDatabase } from './open-database.js';

export interface RunningServer {
  db: Db;
  server: ServerType;
  port: number;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` does: migrate, create the first admin if asked, top up sessions,
 * serve, and keep the background pass running on REMINDER_INTERVAL_SECONDS.
 */
export async function startServer(raw: RawConfig, clock: Clock = systemClock): Promise<RunningServer> {
  const config = appConfigFrom(raw);
  const db = await openDatabase(raw.DATABASE_PATH);
  if (raw.ADMIN_EMAIL && raw.ADMIN_PASSWORD) {
    const created = await bootstrapAdmin(db, clock, { email: raw.ADMIN_EMAIL, password: raw.ADMIN_PASSWORD, name: raw.ADMIN_NAME, practiceName: raw.PRACTICE_NAME });
    if (created) console.log(`Created practice "${raw.PRACTICE_NAME ?? 'Practice'}" and admin ${raw.ADMIN_EMAIL}`);
  } else if (!(await db.selectFrom('users').select('id').limit(1).executeTakeFirst())) {
    console.log('No users yet. Set ADMIN_EMAIL and ADMIN_PASSWORD (and PRACTICE_NAME) and start again, or run:');
    console.log('  npm run user:create -- --email you@example.org --name "Your Name" --role admin --password "a long password"');
  }
  const backgroundPass = async () => {
    try {
      await topUpSessions(db, clock.now().getTime(), config.horizonDays);
    } catch (err) {
      console.error('background pass failed:', err);
    }
  };
  await backgroundPass();
  const timer = setInterval(backgroundPass, raw.REMINDER_INTERVAL_SECONDS * 1000);
  timer.unref();

  const app = createApp({ db, clock, config });
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: raw.PORT, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => resolve({ server: s, port: info.port }));
  });
  return {
    db,
    server,
    port,
    async stop() {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
    },
  };
}
