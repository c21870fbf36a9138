import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../config.js';
import { openDatabase } from '../node/open-database.js';
import { systemClock } from '../lib/time/clock.js';
import { findPractice } from '../practice/practices-service.js';
import { bootstrapAdmin, createUser } from '../users/users-service.js';
import { ROLES } from '../db/schema.js';

/**
 * Creates a user, or adds an existing one to another practice, from the command line.
 * `--practice CODE|NAME` picks the practice (refused when unknown); it may be left out only while
 * there is one practice. On an empty database the first admin and practice are created together.
 */
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
  if (!email || !name || !(ROLES as readonly string[]).includes(role!)) {
    console.error('usage: npm run user:create -- --email E --name N --password P [--role admin|clp|staff|leader] [--practice CODE|NAME]');
    process.exit(2);
  }
  if (password !== undefined && password.length < 10) {
    console.error('The password must be at least 10 characters');
    process.exit(2);
  }
  const db = await openDatabase(raw.DATABASE_PATH);
  const any = await db.selectFrom('practices').select('id').limit(1).executeTakeFirst();
  if (!any) {
    if (!password || role !== 'admin') throw new Error('The database is empty: the first user must be an admin with a --password');
    const made = await bootstrapAdmin(db, systemClock, { email, name, password, practiceName: values.practice ?? raw.PRACTICE_NAME ?? 'Practice' });
    if (!made) throw new Error('The first admin was created meanwhile (the setup link or ADMIN_EMAIL): run this again to add a user');
    console.log(`Created practice "${values.practice ?? raw.PRACTICE_NAME ?? 'Practice'}" and admin ${email} (programme admin)`);
  } else {
    const practice = await findPractice(db, values.practice);
    const user = await createUser(db, systemClock, practice.id, { email, name, role: role as 'admin', password });
    console.log(`Added ${user.email} to ${practice.name} as ${user.role} (user id ${user.id})`);
  }
  await db.destroy();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
