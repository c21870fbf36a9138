import type { AppConfig } from '../config.js';
import type { Db } from '../db/schema.js';
import type { AuthUser } from '../app-env.js';
import type { Clock } from '../lib/clock.js';
import { DEFAULT_PBKDF2_ITERATIONS, hashIterations, hashPassword, randomToken, sha256Hex, verifyPassword } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import type { HashingGate } from './hashing-gate.js';
import { loginSucceeded, takeLoginAttempt } from './login-throttle.js';

/** A hash to verify against when the email is unknown, so a wrong email costs as long as a wrong password. */
const dummyHash = (iterations: number) => `pbkdf2-sha256$${iterations}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

export interface LoginContext {
  /** The client's address, for per-address throttling. */
  address: string;
  hashing: HashingGate;
}

export interface LoginResult {
  token: string;
  user: AuthUser;
  expiresAt: number;
}

/** Checks a password, slowing repeated failures, and opens a session stored only as a hash. */
export async function login(db: Db, clock: Clock, config: AppConfig, email: string, password: string, ctx: LoginContext): Promise<LoginResult> {
  const now = clock.now().getTime();
  await takeLoginAttempt(db, email, ctx.address, now);
  const row = await db
    .selectFrom('users')
    .innerJoin('practices', 'practices.id', 'users.practice_id')
    .select(['users.id', 'users.practice_id', 'users.role', 'users.name', 'users.email', 'users.password_hash', 'users.disabled_at', 'practices.timezone'])
    .where('users.email', '=', email)
    .executeTakeFirst();
  const iterations = config.passwordIterations ?? DEFAULT_PBKDF2_ITERATIONS;
  const ok = await ctx.hashing.run(() => verifyPassword(password, row?.password_hash ?? dummyHash(iterations)));
  if (!row || !ok || row.disabled_at !== null) throw new AppError('unauthorized', 'Email or password is not right');
  await loginSucceeded(db, email, ctx.address);
  // A hash made with fewer rounds than this runtime allows is made again while we know the password.
  if (hashIterations(row.password_hash) < iterations) {
    const upgraded = await ctx.hashing.run(() => hashPassword(password, iterations));
    await db.updateTable('users').set({ password_hash: upgraded }).where('id', '=', row.id).execute();
  }
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

/** Ends every session of a user, except (optionally) the one making the request. */
export async function endSessions(db: Db, userId: number, keepTokenHash?: string): Promise<number> {
  let q = db.deleteFrom('auth_tokens').where('user_id', '=', userId);
  if (keepTokenHash) q = q.where('token_hash', '!=', keepTokenHash);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** A new password, given the current one; every other session of the user ends. */
export async function changePassword(
  db: Db,
  config: AppConfig,
  user: { id: number; tokenHash: string },
  current: string,
  next: string,
  hashing: HashingGate,
): Promise<void> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
  if (!(await hashing.run(() => verifyPassword(current, row.password_hash)))) throw new AppError('forbidden', 'The current password is not right');
  const hash = await hashing.run(() => hashPassword(next, config.passwordIterations ?? DEFAULT_PBKDF2_ITERATIONS));
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
  await endSessions(db, user.id, user.tokenHash);
}
