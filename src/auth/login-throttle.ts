import type { Db } from '../db/schema.js';
import { AppError } from '../lib/errors.js';

/** Five wrong passwords in 15 minutes lock the email for a while, doubling each time after that. */
const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

export async function checkLoginAllowed(db: Db, email: string, now: number): Promise<void> {
  const row = await db.selectFrom('login_throttle').selectAll().where('email', '=', email).executeTakeFirst();
  if (row?.locked_until && row.locked_until > now) {
    const seconds = Math.ceil((row.locked_until - now) / 1000);
    throw new AppError(
      'too_many_requests',
      `Too many failed sign-ins. Try again in ${seconds} seconds.`,
      { retryAfterSeconds: seconds },
      { 'Retry-After': String(seconds) },
    );
  }
}

export async function recordLoginFailure(db: Db, email: string, now: number): Promise<void> {
  const row = await db.selectFrom('login_throttle').selectAll().where('email', '=', email).executeTakeFirst();
  const fresh = !row || now - row.window_started_at > WINDOW_MS;
  const failures = fresh ? 1 : row.failures + 1;
  const over = failures - FREE_FAILURES;
  const lockedUntil = over >= 0 ? now + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** over) : null;
  await db
    .insertInto('login_throttle')
    .values({ email, failures, window_started_at: fresh ? now : row.window_started_at, locked_until: lockedUntil })
    .onConflict((oc) => oc.column('email').doUpdateSet({ failures, window_started_at: fresh ? now : row!.window_started_at, locked_until: lockedUntil }))
    .execute();
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('email', '=', email).execute();
}
