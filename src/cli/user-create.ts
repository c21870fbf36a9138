import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../config.js';
import { openDatabase } from '../node/open-database.js';
import { systemClock } from '../lib/clock.js';
import { createPractice, createUser } from '../users/users-service.js';

/** Creates a user from the command line; on an empty database it also creates the practice. */
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    password: { type: 'string' },
    practice: { type: 'string' },
  },
});

try {
  const raw = parseEnv(process.env);
  const { email, name, role, password } = values;
  if (!email || !name || !password || !['admin', 'clp', 'staff'].includes(role!)) {
    console.error('usage: npm run user:create -- --email E --name N --password P [--role admin|clp|staff] [--practice "Practice name"]');
    process.exit(2);
  }
  if (password.length < 10) {
    console.error('The password must be at least 10 characters');
    process.exit(2);
  }
  const db = await openDatabase(raw.DATABASE_PATH);
  const existing = await db.selectFrom('practices').select('id').orderBy('id').limit(1).executeTakeFirst();
  const practiceId = existing?.id ?? (await createPractice(db, systemClock, values.practice ?? raw.PRACTICE_NAME ?? 'Practice')).id;
  const user = await createUser(db, systemClock, practiceId, { email, name, role: role as 'admin', password });
  console.log(`Created ${user.role} ${user.email} (id ${user.id})`);
  await db.destroy();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
