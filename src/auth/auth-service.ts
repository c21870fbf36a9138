import type { AppConfig } from '../config.js';
import type { Db } from '../db/schema.js';
import type { AuthUser } from '../app-env.js';
import type { Clock } from '../lib/clock.js';
import { randomToken, sha256Hex, verifyPassword } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import { checkLoginAllowed, recordLoginFailure, clearLoginFailures } from './login-throttle.js';

// A hash to verify against when the email is unknown, so a wrong email costs as long as a wrong password.
const DUMMY_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface LoginResult {
  token: string;
  user: AuthUser;
  expiresAt: number;
}

/** Checks a password, slowing repeated failures, and opens a session stored only as a hash. */
export async function login(db: Db, clock: Clock, config: AppConfig, email: string, password: string): Promise<LoginResult> {
  const now = clock.now().getTime();
  await checkLoginAllowed(db, email, now);
  const row = await db
    .selectFrom('users')
    .innerJoin('practices', 'practices.id', 'users.practice_id')
    .select(['users.id', 'users.practice_id', 'users.role', 'users.name', 'users.email', 'users.password_hash', 'users.disabled_at', 'practices.timezone'])
    .where('users.email', '=', email)
    .executeTakeFirst();
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok || row.disabled_at !== null) {
    await recordLoginFailure(db, email, now);
    throw new AppError('unauthorized', 'Email or password is not right');
  }
  await clearLoginFailures(db, email);
  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const expiresAt = now + config.sessionTtlHours * 3_600_000;
  await db.insertInto('auth_tokens').values({ token_hash: tokenHash, user_id: row.id, created_at: now, expires_at: expiresAt }).execute();
  return {
    token,
    expiresAt,
    user: { id: row.id, practiceId: row.practice_id, timezone: row.timezone, role: row.role, name: row.name, email: row.email, tokenHash },
  };
}

/** The user behind a bearer token or cookie, or null when it is unknown, expired or revoked. */
export async function authenticate(db: Db, clock: Clock, token: string): Promise<AuthUser | null> {
  const tokenHash = await sha256Hex(token);
  const row = await db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .innerJoin('practices', 'practices.id', 'users.practice_id')
    .select(['users.id', 'users.practice_id', 'users.role', 'users.name', 'users.email', 'practices.timezone'])
    .where('auth_tokens.token_hash', '=', tokenHash)
    .where('auth_tokens.expires_at', '>', clock.now().getTime())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, practiceId: row.practice_id, timezone: row.timezone, role: row.role, name: row.name, email: row.email, tokenHash };
}

export async function logout(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('auth_tokens').where('token_hash', '=', tokenHash).execute();
}
