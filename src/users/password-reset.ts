import type { Db } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import { hashPassword, randomToken, sha256Hex } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import { endSessions } from '../auth/auth-service.js';
import { getUser } from './users-service.js';

const RESET_TTL_MS = 24 * 3_600_000;

/**
 * An admin resets someone's password without ever seeing or choosing it: a one-time code (shown
 * once, stored hashed, valid 24 hours) that the person uses to set their own.
 */
export async function startPasswordReset(db: Db, clock: Clock, actor: { id: number; practiceId: number }, userId: number) {
  const user = await getUser(db, actor.practiceId, userId);
  const code = randomToken();
  const now = clock.now().getTime();
  await db.deleteFrom('password_resets').where('user_id', '=', user.id).where('used_at', 'is', null).execute();
  await db
    .insertInto('password_resets')
    .values({ token_hash: await sha256Hex(code), user_id: user.id, created_by: actor.id, expires_at: now + RESET_TTL_MS, used_at: null })
    .execute();
  return { code, expiresAt: now + RESET_TTL_MS, email: user.email };
}

/** Sets a new password with a reset code: used once, and every session of that user ends. */
export async function finishPasswordReset(db: Db, clock: Clock, code: string, newPassword: string, iterations?: number): Promise<void> {
  const now = clock.now().getTime();
  const hash = await sha256Hex(code);
  const used = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  if (!used) throw new AppError('not_found', 'This reset code is unknown, used or out of date: ask your admin for a new one');
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(newPassword, iterations), updated_at: now })
    .where('id', '=', used.user_id)
    .execute();
  await endSessions(db, used.user_id);
}
