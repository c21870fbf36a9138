import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../config.js';
import { RestoreError, restoreDatabase } from '../backups/restore-database.js';

/**
 * `npm run restore -- --from FILE` (server stopped): puts a backup in place of DATABASE_PATH,
 * keeping the old database beside it. The next start settles texts against Twilio's log first.
 */
const { values } = parseArgs({ options: { from: { type: 'string' }, 'taken-at': { type: 'string' } } });
try {
  const raw = parseEnv(process.env);
  if (!values.from) {
    console.error('usage: npm run restore -- --from FILE [--taken-at 2027-03-01T09:00:00Z]   (stop the server first)');
    process.exit(2);
  }
  const given = values['taken-at'] === undefined ? undefined : Date.parse(values['taken-at']);
  if (given !== undefined && Number.isNaN(given)) throw new RestoreError('--taken-at must be a date and time like 2027-03-01T09:00:00Z');
  const r = await restoreDatabase({ from: values.from, databasePath: raw.DATABASE_PATH, now: Date.now(), takenAt: given });
  const when = new Date(r.takenAt).toISOString();
  console.log(`Restored ${raw.DATABASE_PATH} from ${values.from}, a backup taken ${when}.`);
  if (r.keptAt) console.log(`The database it replaced is kept at ${r.keptAt}.`);
  console.log(
    `Everything done after ${when} is gone from it. On the next start every text that may have gone since is checked against Twilio's log before anything is sent (without Twilio credentials they are held, not sent); everyone signs in again; admins see what to check (feed links revoked and users disabled since).`,
  );
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
