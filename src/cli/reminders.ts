import { parseArgs } from 'node:util';
import { appConfigFrom, ConfigError, parseEnv } from '../config.js';
import { systemClock } from '../lib/time/clock.js';
import { openDatabase } from '../node/open-database.js';
import { nodeAuditArchive } from '../node/directory-archive.js';
import { smsTransportFrom } from '../node/sms-transport.js';
import { loadTemplates } from '../sms/wording/node-templates.js';
import { runReminders } from '../sms/outbox/run-reminders.js';
import { nodePassGate } from '../backups/restore-detection.js';

/** `npm run reminders -- --once`: one reminder pass (plan and send), then exit; without --once, loop. */
const { values } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
try {
  const raw = parseEnv(process.env);
  const config = appConfigFrom(raw);
  const templates = loadTemplates();
  const sms = await smsTransportFrom(raw);
  const db = await openDatabase(raw.DATABASE_PATH);
  const gate = nodePassGate(db, sms);
  const auditArchive = nodeAuditArchive(raw);
  const pass = async () => {
    if (!(await gate(systemClock.now().getTime()))) return;
    const r = await runReminders({
      db,
      sms,
      clock: systemClock,
      templates,
      horizonDays: config.horizonDays,
      statusCallbackUrl: `${config.publicBaseUrl}/webhooks/twilio/status`,
      auditArchive,
    });
    console.log(
      `reminder pass: planned ${r.planned}, sent ${r.sent}, retrying ${r.retried}, failed ${r.failed}, skipped ${r.skipped}, unknown ${r.unknown}, released ${r.released}, reconciled ${r.reconciled}${sms.name === 'local' ? ' (local transport: nothing really sent)' : ''}`,
    );
  };
  if (values.once) {
    await pass();
    await db.destroy();
  } else {
    for (;;) {
      await pass();
      await new Promise((r) => setTimeout(r, raw.REMINDER_INTERVAL_SECONDS * 1000));
    }
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
