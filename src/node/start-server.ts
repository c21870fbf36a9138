import type { Server } from 'node:http';
import { createApp } from '../app.js';
import { nodeApiDocsFiles } from './api-docs-files.js';
import { type AppConfig, appConfigFrom, type RawConfig } from '../config.js';
import type { Db } from '../db/schema.js';
import { systemClock, type Clock } from '../lib/time/clock.js';
import { loadTemplates } from '../sms/wording/node-templates.js';
import { runReminders } from '../sms/outbox/run-reminders.js';
import { smsTransportFrom } from './sms-transport.js';
import { bootstrapAdmin } from '../users/users-service.js';
import { openDatabase } from './open-database.js';
import { openBoardDatabases } from './board-databases.js';
import { nodeAuditArchive } from './directory-archive.js';
import type { ArchiveStore } from '../audit/archive-store.js';
import { listen, nodeServer } from './node-listener.js';
import { randomToken } from '../lib/crypto.js';
import { takeBackup } from '../backups/take-backup.js';
import { scheduleBackups } from '../backups/backup-schedule.js';
import { claimServerLock, releaseServerLock } from './server-lock.js';
import { nodePassGate } from '../backups/restore-detection.js';
import type { SmsTransport } from '../sms/twilio/transport.js';
import type { TemplateLibrary } from '../sms/wording/templates.js';

export interface RunningServer {
  db: Db;
  server: Server;
  port: number;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` does: check the SMS templates, migrate, create the first admin if asked,
 * serve, and run the reminder pass (which also tops up sessions) every REMINDER_INTERVAL_SECONDS.
 */
export async function startServer(raw: RawConfig, clock: Clock = systemClock): Promise<RunningServer> {
  const config = appConfigFrom(raw);
  const templates = loadTemplates();
  const sms = await smsTransportFrom(raw);
  const boards = await openBoardDatabases(raw);
  const db = await openWithUpgradeBackup(raw, clock);
  const setupLink = await firstAdmin(db, raw, config, clock);
  if (sms.name === 'local') console.log('No Twilio credentials: texts are recorded locally and NOT sent.');
  const auditArchive = nodeAuditArchive(raw);
  const reminders = reminderLoop(db, sms, clock, templates, config, raw, auditArchive);

  const app = createApp({ db, clock, config, templates, apiDocsFiles: nodeApiDocsFiles(), auditArchive, boards });
  const hostname = process.env.HOST ?? '0.0.0.0';
  const server = nodeServer(app.fetch, clock, hostname);
  const port = await listen(server, raw.PORT, hostname);
  // Listening first: the first pass after a restart may plan every practice's look-ahead, and
  // it yields as it goes, so it runs while requests are answered rather than before.
  reminders.start();
  claimServerLock(raw.DATABASE_PATH);
  const backupDir = raw.BACKUP_DIR;
  const backups = backupDir
    ? scheduleBackups(db, raw.DATABASE_PATH, { dir: backupDir, intervalHours: raw.BACKUP_INTERVAL_HOURS, keep: raw.BACKUP_KEEP }, clock)
    : null;
  if (setupLink) {
    const base = raw.PUBLIC_BASE_URL ? config.publicBaseUrl : `http://localhost:${port}`;
    console.log(`No users yet. Open this one-time link to create the first admin and practice:\n  ${base}${setupLink}`);
    console.log('(or set ADMIN_EMAIL and ADMIN_PASSWORD and start again, or run npm run user:create)');
  }
  return {
    db,
    server,
    port,
    async stop() {
      await new Promise<void>((resolve) => {
        reminders.stopTicking();
        server.close(() => resolve());
      });
      await reminders.finish(); // a pass in flight stops at its next safe point, its writes done, before the database closes
      await backups?.stop();
      await db.destroy();
      await Promise.all(boards.map((b) => b.db.destroy()));
      releaseServerLock(raw.DATABASE_PATH);
    },
  };
}

/** Opens (and migrates) the database; before an upgrade changes an existing one, a copy of it as it was, recorded as a backup run. */
async function openWithUpgradeBackup(raw: RawConfig, clock: Clock): Promise<Db> {
  const backupDir = raw.BACKUP_DIR;
  let upgradeBackup: { file: string; takenAt: number } | { error: string } | undefined;
  const db = await openDatabase(raw.DATABASE_PATH, {
    beforeUpgrade: backupDir
      ? async (pending) => {
          const now = clock.now().getTime();
          try {
            upgradeBackup = await takeBackup(raw.DATABASE_PATH, backupDir, now);
            console.log(`Backed up to ${upgradeBackup.file} before applying ${pending.join(', ')}`);
          } catch (err) {
            upgradeBackup = { error: (err as Error).message };
            console.error(`backup before applying ${pending.join(', ')} failed: ${upgradeBackup.error}; upgrading anyway`);
          }
        }
      : undefined,
  });
  if (upgradeBackup) {
    const now = clock.now().getTime();
    await db
      .insertInto('backup_runs')
      .values(
        'file' in upgradeBackup
          ? { started_at: upgradeBackup.takenAt, file: upgradeBackup.file, ok: 1, error: null }
          : { started_at: now, file: null, ok: 0, error: upgradeBackup.error },
      )
      .execute();
  }
  return db;
}

/** The first admin from ADMIN_EMAIL and ADMIN_PASSWORD; without them and with nobody yet, a one-time setup link. */
async function firstAdmin(db: Db, raw: RawConfig, config: AppConfig, clock: Clock): Promise<string | undefined> {
  if (raw.ADMIN_EMAIL && raw.ADMIN_PASSWORD) {
    const created = await bootstrapAdmin(db, clock, {
      email: raw.ADMIN_EMAIL,
      password: raw.ADMIN_PASSWORD,
      name: raw.ADMIN_NAME,
      practiceName: raw.PRACTICE_NAME,
    });
    if (created) console.log(`Created practice "${raw.PRACTICE_NAME ?? 'Practice'}" and admin ${raw.ADMIN_EMAIL}`);
    return undefined;
  }
  if (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) return undefined;
  // First run without reading code: a one-time link, valid until someone uses it.
  config.setupCode ??= randomToken();
  return `/setup?code=${config.setupCode}`;
}

/** The reminder pass every REMINDER_INTERVAL_SECONDS; a slow pass is never overlapped by the next tick. */
function reminderLoop(db: Db, sms: SmsTransport, clock: Clock, templates: TemplateLibrary, config: AppConfig, raw: RawConfig, auditArchive?: ArchiveStore) {
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopping = new AbortController();
  // A database put back by other means than npm run restore is found before anything is sent.
  const gate = nodePassGate(db, sms);
  const pass = async () => {
    try {
      if (!(await gate(clock.now().getTime()))) return;
      await runReminders({
        db,
        sms,
        clock,
        templates,
        horizonDays: config.horizonDays,
        statusCallbackUrl: `${config.publicBaseUrl}/webhooks/twilio/status`,
        budgetMs: raw.REMINDER_INTERVAL_SECONDS * 800,
        signal: stopping.signal,
        auditArchive,
      });
    } catch (err) {
      console.error('reminder pass failed:', err);
    }
  };
  const backgroundPass = () => {
    running ??= pass().finally(() => (running = null));
    return running;
  };
  return {
    start() {
      void backgroundPass();
      timer = setInterval(backgroundPass, raw.REMINDER_INTERVAL_SECONDS * 1000);
      timer.unref();
    },
    stopTicking() {
      clearInterval(timer);
      stopping.abort();
    },
    finish: () => running,
  };
}
