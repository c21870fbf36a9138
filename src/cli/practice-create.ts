import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../config.js';
import { systemClock } from '../lib/time/clock.js';
import { openDatabase } from '../node/open-database.js';
import { addPractice } from '../practice/practices-service.js';

/**
 * Adds a practice for scripted installs: `npm run practice:create -- --name N [--code C] --admin EMAIL`.
 * The admin (an existing user, usually the programme admin) becomes the new practice's first admin.
 */
const { values } = parseArgs({ options: { name: { type: 'string' }, code: { type: 'string' }, admin: { type: 'string' } } });

try {
  const raw = parseEnv(process.env);
  if (!values.name || !values.admin) {
    console.error('usage: npm run practice:create -- --name "Practice name" [--code CODE] --admin existing-admin@example.org');
    process.exit(2);
  }
  const db = await openDatabase(raw.DATABASE_PATH);
  const admin = await db.selectFrom('users').select('id').where('email', '=', values.admin).executeTakeFirst();
  if (!admin) throw new Error(`No user ${values.admin}: create the first admin with npm run user:create, or start the server and use the setup link`);
  const p = await addPractice(db, systemClock, admin.id, { name: values.name, code: values.code ?? null });
  console.log(`Created practice "${p.name}"${p.code ? ` (${p.code})` : ''} with id ${p.id}; ${values.admin} is its admin`);
  await db.destroy();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
