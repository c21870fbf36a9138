import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../config.js';
import { backupNow } from '../backups/backup-schedule.js';
import { openDatabase } from '../node/open-database.js';

/**
 * `npm run backup -- --to DIR`: a consistent, checked snapshot of DATABASE_PATH while the server
 * runs, named by the time it was taken. Exits 1 (and says why) when it fails.
 */
const { values } = parseArgs({ options: { to: { type: 'string' }, keep: { type: 'string' } } });
try {
  const raw = parseEnv(process.env);
  const dir = values.to ?? raw.BACKUP_DIR;
  if (!dir) {
    console.error('usage: npm run backup -- --to DIR [--keep N]   (or set BACKUP_DIR)');
    process.exit(2);
  }
  const db = await openDatabase(raw.DATABASE_PATH);
  const backup = await backupNow(db, raw.DATABASE_PATH, { dir, keep: Number(values.keep ?? raw.BACKUP_KEEP) }, Date.now());
  await db.destroy();
  if (!backup) process.exit(1);
  console.log(`Backed up ${raw.DATABASE_PATH} to ${backup.file} (taken ${new Date(backup.takenAt).toISOString()}, integrity check ok)`);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
