import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { AppError } from '../lib/errors.js';

/**
 * Sign-in throttling that slows guessing without letting a stranger lock anyone out. Failures are
 * counted per (account, address) and per address: a guesser at one address is slowed on that
 * account (after 5 failures) and on every account (after 30), while the real user at their own
 * address is never affected. Each attempt is counted before its password is checked, in one
 * atomic statement, so parallel guesses cannot slip past the limit.
 */
const WINDOW_MS = 15 * 60_000;
const LIMITS = { account: 5, address: 30 };
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;
/** Keeps the table bounded: old windows are dropped, and never more than this many rows. */
const MAX_ROWS = 20_000;

const scopes = (email: string, address: string) => [
  { key: `e:${email.toLowerCase()}|${address}`, limit: LIMITS.account },
  { key: `a:${address}`, limit: LIMITS.address },
];

function tooMany(seconds: number): AppError {
  return new AppError(
    'too_many_requests',
    `Too many failed sign-ins from here. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}

/** Counts this attempt (as a failure until it succeeds) and refuses it while this address must wait. */
export async function takeLoginAttempt(db: Db, email: string, address: string, now: number): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where('window_started_at', '<', now - WINDOW_MS)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .execute();
  for (const { key, limit } of scopes(email, address)) {
    const row = (
      await sql<{ failures: number; blocked_until: number | null }>`
        INSERT INTO login_attempts (scope, failures, window_started_at, blocked_until) VALUES (${key}, 1, ${now}, NULL)
        ON CONFLICT (scope) DO UPDATE SET
          failures = CASE WHEN window_started_at < ${now - WINDOW_MS} THEN 1 WHEN blocked_until > ${now} THEN failures ELSE failures + 1 END,
          window_started_at = CASE WHEN window_started_at < ${now - WINDOW_MS} THEN ${now} ELSE window_started_at END
        RETURNING failures, blocked_until`.execute(db)
    ).rows[0]!;
    if (row.blocked_until !== null && row.blocked_until > now) throw tooMany(Math.ceil((row.blocked_until - now) / 1000));
    const over = row.failures - limit;
    if (over > 0) {
      // Slow down, doubling: 1 s, 2 s, 4 s … up to 15 minutes. Once a wait is served one attempt
      // goes through; if it fails too, the next wait is longer.
      const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (over - 1));
      await db
        .updateTable('login_attempts')
        .set({ blocked_until: now + delay })
        .where('scope', '=', key)
        .execute();
      if (row.blocked_until === null) throw tooMany(Math.ceil(delay / 1000));
    }
  }
  const count = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(count.n) > MAX_ROWS) {
    await sql`DELETE FROM login_attempts WHERE scope IN (SELECT scope FROM login_attempts ORDER BY window_started_at LIMIT ${Number(count.n) - MAX_ROWS})`.execute(
      db,
    );
  }
}

/** A right password clears this address's count on that account (the address count keeps its failures). */
export async function loginSucceeded(db: Db, email: string, address: string): Promise<void> {
  const [account, addr] = scopes(email, address);
  await db.deleteFrom('login_attempts').where('scope', '=', account!.key).execute();
  await sql`UPDATE login_attempts SET failures = failures - 1 WHERE scope = ${addr!.key}`.execute(db);
  await db.deleteFrom('login_attempts').where('scope', '=', addr!.key).where('failures', '<=', 0).where('blocked_until', 'is', null).execute();
}
