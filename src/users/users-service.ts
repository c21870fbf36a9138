import type { Db, Role } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { hashPassword } from '../lib/crypto.js';
import { conflict, notFound } from '../lib/errors.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export async function createUser(db: Db, clock: Clock, practiceId: number, input: NewUser, iterations?: number) {
  const taken = await db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (taken) throw conflict('A user with that email already exists');
  const now = clock.now().getTime();
  return db
    .insertInto('users')
    .values({
      practice_id: practiceId,
      email: input.email,
      name: input.name,
      role: input.role,
      password_hash: await hashPassword(input.password, iterations),
      disabled_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'practice_id', 'email', 'name', 'role'])
    .executeTakeFirstOrThrow();
}

export function listUsers(db: Db, practiceId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'practice_id', 'email', 'name', 'role'])
    .where('practice_id', '=', practiceId)
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();
}

export async function getUser(db: Db, practiceId: number, id: number) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'practice_id', 'email', 'name', 'role'])
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  return row;
}

/** First start: a practice and its admin, only on an empty database. Returns false when users exist. */
export async function bootstrapAdmin(
  db: Db,
  clock: Clock,
  input: { email: string; password: string; name?: string; practiceName?: string },
  iterations?: number,
): Promise<boolean> {
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return false;
  const practice = await createPractice(db, clock, input.practiceName ?? 'Practice');
  await createUser(db, clock, practice.id, { email: input.email, password: input.password, name: input.name ?? 'Administrator', role: 'admin' }, iterations);
  return true;
}

export function createPractice(db: Db, clock: Clock, name: string, timezone = 'Europe/London') {
  return db
    .insertInto('practices')
    .values({ name, timezone, created_at: clock.now().getTime() })
    .returning(['id', 'name', 'timezone'])
    .executeTakeFirstOrThrow();
}
