import { compiledOnce } from '../db/compiled-once.js';
import type { AppConfig } from '../config.js';
import type { Db, DbOrTx } from '../db/schema.js';
import type { AuthUser } from '../app-env.js';
import type { Clock } from '../lib/time/clock.js';
import { DEFAULT_PBKDF2_ITERATIONS, hashIterations, hashPassword, randomToken, sha256Hex, tokenHash as hashOfToken, verifyPassword } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import type { HashingGate } from './hashing-gate.js';
import { loginSucceeded, takeLoginAttempt, type ThrottleMemory } from './login-throttle.js';
import { rememberDevice, trustedDevice } from './trusted-devices.js';

/** A hash to verify against when the email is unknown, so a wrong email costs as long as a wrong password. */
const dummyHash = (iterations: number) => `pbkdf2-sha256$${iterations}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

export interface LoginContext {
  /** The client's address, for per-address throttling. */
  address: string;
  hashing: HashingGate;
  /** The device token this browser's cookie holds, if any (OWASP device cookies). */
  deviceToken?: string;
  throttle?: ThrottleMemory;
}

export interface LoginResult {
  token: string;
  user: AuthUser;
  expiresAt: number;
  /** A new device token for this browser to keep, when it had none for this account. */
  deviceToken: string | null;
}

/** The practices a user may act in (open memberships), with their role in each. */
export function membershipsOf(db: Db, userId: number) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('practices as p', 'p.id', 'm.practice_id')
    .select(['p.id', 'p.name', 'p.code', 'p.timezone', 'm.role'])
    .where('m.user_id', '=', userId)
    .where('m.disabled_at', 'is', null)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}

/**
 * Checks a password, slowing repeated failures, and opens a session stored only as a hash. The
 * session acts in the practice the user last worked in (or their first), while they are a member.
 */
export async function login(db: Db, clock: Clock, config: AppConfig, email: string, password: string, ctx: LoginContext): Promise<LoginResult> {
  const now = clock.now().getTime();
  const device = await trustedDevice(db, ctx.deviceToken, email);
  const attempt = { email, address: ctx.address, device };
  await takeLoginAttempt(db, attempt, now, ctx.throttle);
  const row = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'password_hash', 'disabled_at', 'programme_role', 'nhs_only'])
    .where('email', '=', email)
    .executeTakeFirst();
  const iterations = config.passwordIterations ?? DEFAULT_PBKDF2_ITERATIONS;
  const ok = await ctx.hashing.run(() => verifyPassword(password, row?.password_hash ?? dummyHash(iterations)));
  const practices = row && ok ? await membershipsOf(db, row.id) : [];
  if (!row || !ok || row.disabled_at !== null || practices.length === 0) throw new AppError('unauthorized', 'Email or password is not right');
  // Told only to someone who knew the password: this account signs in with its NHS account now.
  if (row.nhs_only === 1) throw new AppError('unauthorized', 'This account signs in with its NHS account: use the button below, not a password');
  await loginSucceeded(db, attempt, ctx.throttle);
  const deviceToken = await rememberDevice(db, row.id, device, now);
  // A hash made with fewer rounds than this runtime allows is made again while we know the password.
  if (hashIterations(row.password_hash) < iterations) {
    const upgraded = await ctx.hashing.run(() => hashPassword(password, iterations));
    await db.updateTable('users').set({ password_hash: upgraded }).where('id', '=', row.id).execute();
  }
  return { ...(await openSession(db, config, now, row, practices)), deviceToken };
}

/**
 * A new session for an account that has proved who it is (a password, or an NHS account): stored
 * only as a hash, acting in the practice the user last worked in (or their first).
 */
export async function openSession(
  db: Db,
  config: AppConfig,
  now: number,
  row: { id: number; name: string; email: string; programme_role: string | null },
  practices: Awaited<ReturnType<typeof membershipsOf>>,
): Promise<Omit<LoginResult, 'deviceToken'>> {
  const last = await db.selectFrom('auth_tokens').select('practice_id').where('user_id', '=', row.id).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  const practice = practices.find((p) => p.id === last?.practice_id) ?? practices[0]!;
  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const expiresAt = now + config.sessionTtlHours * 3_600_000;
  await db
    .insertInto('auth_tokens')
    .values({ token_hash: tokenHash, user_id: row.id, practice_id: practice.id, created_at: now, expires_at: expiresAt })
    .execute();
  return {
    token,
    expiresAt,
    user: {
      id: row.id,
      practiceId: practice.id,
      timezone: practice.timezone,
      role: practice.role,
      name: row.name,
      email: row.email,
      tokenHash,
      programmeAdmin: row.programme_role === 'programme_admin',
      practiceName: practice.name,
      practiceCount: practices.length,
      // Not read at sign-in: matches no cached answer (versions start at 0).
      dataVersion: -1,
    },
  };
}

/**
 * The user behind a bearer token or cookie, acting in the session's practice, or null when the
 * token is unknown, expired or revoked, the user disabled, or their membership there closed.
 */
const signInQuery = compiledOnce((db: DbOrTx, tokenHash: string, now: number) =>
  db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .innerJoin('memberships', (j) =>
      j.onRef('memberships.user_id', '=', 'auth_tokens.user_id').onRef('memberships.practice_id', '=', 'auth_tokens.practice_id'),
    )
    .innerJoin('practices', 'practices.id', 'memberships.practice_id')
    .select([
      'users.id',
      'memberships.practice_id',
      'memberships.role',
      'users.name',
      'users.email',
      'users.programme_role',
      'practices.timezone',
      'practices.name as practice_name',
      'practices.data_version',
      'practices.plan_version',
    ])
    .where('auth_tokens.token_hash', '=', tokenHash)
    .where('auth_tokens.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .where('memberships.disabled_at', 'is', null),
);

export async function authenticate(db: Db, clock: Clock, token: string): Promise<AuthUser | null> {
  const tokenHash = await hashOfToken(token);
  const now = clock.now().getTime();
  const [row] = await signInQuery(db, tokenHash, now);
  if (!row) return null;
  return {
    id: row.id,
    practiceId: row.practice_id,
    timezone: row.timezone,
    role: row.role,
    name: row.name,
    email: row.email,
    tokenHash,
    programmeAdmin: row.programme_role === 'programme_admin',
    practiceName: row.practice_name,
    dataVersion: row.data_version,
    planVersion: row.plan_version,
  };
}

/** Moves a session to another practice the user belongs to; any other practice is not found. */
export async function switchPractice(db: Db, user: AuthUser, practiceId: number): Promise<AuthUser> {
  const member = (await membershipsOf(db, user.id)).find((p) => p.id === practiceId);
  if (!member) throw new AppError('not_found', 'Practice not found');
  await db.updateTable('auth_tokens').set({ practice_id: practiceId }).where('token_hash', '=', user.tokenHash).execute();
  return { ...user, practiceId, timezone: member.timezone, role: member.role, practiceName: member.name, dataVersion: -1 };
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
