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

/** The practice's users; disabled ones only when asked (an admin managing accounts). */
export function listUsers(db: Db, practiceId: number, opts: { includeDisabled?: boolean } = {}) {
  let q = db.selectFrom('users').select(['id', 'practice_id', 'email', 'name', 'role', 'disabled_at']).where('practice_id', '=', practiceId);
  if (!opts.includeDisabled) q = q.where('disabled_at', 'is', null);
  return q.orderBy('name').execute();
}

/**
 * Changes a user's role or disables them. Disabling ends every session of theirs at once (their
 * tokens answer 401 from the next request); an admin cannot disable or demote themselves, so a
 * practice is never left without one by accident.
 */
export async function updateUser(db: Db, clock: Clock, actor: { id: number; practiceId: number }, id: number, input: { role?: Role; disabled?: boolean }) {
  const user = await getUser(db, actor.practiceId, id);
  if (user.id === actor.id && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
    throw conflict('You cannot disable yourself or give up your own admin role; ask another admin');
  }
  const now = clock.now().getTime();
  await db
    .updateTable('users')
    .set({
      ...(input.role !== undefined && { role: input.role }),
      ...(input.disabled !== undefined && { disabled_at: input.disabled ? (user.disabled_at ?? now) : null }),
      updated_at: now,
    })
    .where('id', '=', user.id)
    .execute();
  if (input.disabled) await db.deleteFrom('auth_tokens').where('user_id', '=', user.id).execute();
  return getUser(db, actor.practiceId, id);
}

export async function getUser(db: Db, practiceId: number, id: number) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'practice_id', 'email', 'name', 'role', 'disabled_at'])
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
