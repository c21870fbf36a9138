import type { Db, DbOrTx, Role } from '../db/schema.js';
import { sql } from 'kysely';
import { atomic, atomicWrites } from '../db/atomic.js';
import type { Clock } from '../lib/time/clock.js';
import { hashPassword } from '../lib/crypto.js';
import { conflict, invalid, notFound } from '../lib/errors.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** Needed for a new account; an existing account keeps its own (a membership is added). */
  password?: string;
}

const USER_COLUMNS = ['u.id', 'm.practice_id', 'u.email', 'u.name', 'm.role', 'm.disabled_at', 'u.nhs_only', 'u.oidc_subject'] as const;

/**
 * Adds someone to a practice. A new email makes an account with this password; an email that
 * already has an account (a CLP placed in a second practice) gets a membership here instead,
 * keeping their password. Already a member here: 409.
 */
export async function createUser(db: Db, clock: Clock, practiceId: number, input: NewUser, iterations?: number) {
  const now = clock.now().getTime();
  const existing = await db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) {
    const member = await db
      .selectFrom('memberships')
      .select('role')
      .where('user_id', '=', existing.id)
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    if (member) throw conflict('That person is already a user of this practice');
  } else if (!input.password) {
    throw invalid('A new user needs a password', [{ path: 'password', message: 'at least 10 characters' }]);
  }
  // Hashed before the writes, so the write lock is never held for the ~0.3 s a hash takes.
  const hash = existing ? null : await hashPassword(input.password!, iterations);
  // The account and its membership land together: never an account that belongs nowhere.
  const userId = await atomic(db, async (tx) => {
    const id =
      existing?.id ??
      (
        await tx
          .insertInto('users')
          .values({
            practice_id: practiceId,
            email: input.email,
            name: input.name,
            // Where the account was made (memberships hold roles): a leader's account reads as staff there.
            role: input.role === 'leader' ? 'staff' : input.role,
            password_hash: hash!,
            disabled_at: null,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await tx.insertInto('memberships').values({ user_id: id, practice_id: practiceId, role: input.role, disabled_at: null, created_at: now }).execute();
    return id;
  });
  return getUser(db, practiceId, userId);
}

/** The practice's users (by membership); closed memberships only when asked (an admin managing accounts). */
export function listUsers(db: Db, practiceId: number, opts: { includeDisabled?: boolean } = {}) {
  let q = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([...USER_COLUMNS])
    .where('m.practice_id', '=', practiceId);
  if (!opts.includeDisabled) q = q.where('m.disabled_at', 'is', null).where('u.disabled_at', 'is', null);
  return q.orderBy('u.name').execute();
}

/**
 * Changes someone's role in this practice or closes their membership here. Closing it ends every
 * session of theirs acting in this practice at once (their tokens answer 401 from the next
 * request); an admin cannot disable or demote themselves, so a practice is never left without one
 * by accident.
 */
export async function updateUser(
  db: Db,
  clock: Clock,
  actor: { id: number; practiceId: number },
  id: number,
  input: { role?: Role; disabled?: boolean; nhsOnly?: boolean },
) {
  const user = await getUser(db, actor.practiceId, id);
  if (user.id === actor.id && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
    throw conflict('You cannot disable yourself or give up your own admin role; ask another admin');
  }
  const now = clock.now().getTime();
  if (input.role !== undefined || input.disabled !== undefined) {
    await db
      .updateTable('memberships')
      .set({
        ...(input.role !== undefined && { role: input.role }),
        ...(input.disabled !== undefined && { disabled_at: input.disabled ? (user.disabled_at ?? now) : null }),
      })
      .where('user_id', '=', user.id)
      .where('practice_id', '=', actor.practiceId)
      .execute();
  }
  if (input.nhsOnly !== undefined)
    await db
      .updateTable('users')
      .set({ nhs_only: input.nhsOnly ? 1 : 0, updated_at: now })
      .where('id', '=', user.id)
      .execute();
  if (input.disabled) {
    await db.deleteFrom('auth_tokens').where('user_id', '=', user.id).where('practice_id', '=', actor.practiceId).execute();
  }
  return getUser(db, actor.practiceId, id);
}

export async function getUser(db: Db, practiceId: number, id: number) {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([...USER_COLUMNS])
    .where('m.practice_id', '=', practiceId)
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  return row;
}

/**
 * First start: a practice and its admin (who also runs the programme), only on an empty database;
 * false when it is set up already. The practice, the account, its membership and the `setup_done`
 * row (whose key can only be 1) are written in one transaction (one batch on D1): of any number of
 * first runs at once (a double click on the setup link, several Workers isolates) exactly one commits.
 */
export async function bootstrapAdmin(
  db: Db,
  clock: Clock,
  input: { email: string; password: string; name?: string; practiceName?: string },
  iterations?: number,
): Promise<boolean> {
  if (await db.selectFrom('setup_done').select('id').executeTakeFirst()) return false;
  const now = clock.now().getTime();
  // Hashed before the writes: the slow part never holds the write lock.
  const hash = await hashPassword(input.password, iterations);
  try {
    await atomicWrites(db, [
      db.insertInto('setup_done').values({ id: 1, done_at: now }).compile(),
      db
        .insertInto('practices')
        .values({ name: input.practiceName ?? 'Practice', timezone: 'Europe/London', code: null, created_at: now })
        .compile(),
      db
        .insertInto('users')
        .values({
          practice_id: sql<number>`(SELECT max(id) FROM practices)`,
          email: input.email,
          name: input.name ?? 'Administrator',
          role: 'admin',
          password_hash: hash,
          disabled_at: null,
          // The first admin also runs the programme: they create the other practices.
          programme_role: 'programme_admin',
          created_at: now,
          updated_at: now,
        })
        .compile(),
      db
        .insertInto('memberships')
        .columns(['user_id', 'practice_id', 'role', 'disabled_at', 'created_at'])
        .expression(
          db
            .selectFrom('users')
            .select(['id', 'practice_id', sql<string>`'admin'`.as('role'), sql<null>`NULL`.as('disabled_at'), sql<number>`${now}`.as('created_at')])
            .where('email', '=', input.email),
        )
        .compile(),
    ]);
  } catch (err) {
    // Another first run committed between our check and our write: the guard refused this one.
    if (await db.selectFrom('setup_done').select('id').executeTakeFirst()) return false;
    throw err;
  }
  return true;
}

export async function createPractice(db: DbOrTx, clock: Clock, name: string, timezone = 'Europe/London', code: string | null = null) {
  if (code) await assertCodeFree(db, code);
  return db
    .insertInto('practices')
    .values({ name, timezone, code, created_at: clock.now().getTime() })
    .returning(['id', 'name', 'timezone', 'code'])
    .executeTakeFirstOrThrow();
}

/** Programme reports name practices by code: one code, one practice (`exceptId`: the practice being changed). */
export async function assertCodeFree(db: DbOrTx, code: string, exceptId?: number): Promise<void> {
  let q = db.selectFrom('practices').select('id').where('code', '=', code);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict('Another practice already has that code');
}
