import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import { Lru } from '../lib/lru.js';
import { plural } from '../lib/numbers.js';

/**
 * Sign-in throttling that slows guessing without letting a stranger lock anyone out (OWASP's
 * device cookies). A browser that signed in to an account before carries a device token for it:
 * its failures count against that device alone. Everyone else's count per (account, address),
 * per address, and per account across all addresses: a guesser rotating addresses is slowed on
 * the account after 10 failures, and the real user's own browser still signs in. Each attempt is
 * counted before its password is checked, in one atomic statement, so parallel guesses cannot
 * slip past the limit.
 */
const WINDOW_MS = 15 * 60_000;
const LIMITS = { account: 5, address: 30, anywhere: 10, device: 5 };
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;
/** Keeps the table bounded: old windows are dropped, and never more than this many rows. */
const MAX_ROWS = 20_000;
/** Old windows are swept at most this often, not on every attempt (a flood would pay for it each time). */
const SWEEP_EVERY_MS = 60_000;

export interface Attempt {
  email: string;
  address: string;
  /** The hash of a device token this browser holds for this account, when it holds a valid one. */
  device?: string;
}

function scopes(a: Attempt) {
  const email = a.email.toLowerCase();
  if (a.device) return [{ key: `d:${a.device}`, limit: LIMITS.device }];
  return [
    { key: `e:${email}|${a.address}`, limit: LIMITS.account },
    { key: `a:${a.address}`, limit: LIMITS.address },
    { key: `u:${email}`, limit: LIMITS.anywhere },
  ];
}

function tooMany(seconds: number): AppError {
  return new AppError('too_many_requests', tooManyMessage(seconds), { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
}

/**
 * What one process remembers between attempts: when it last swept old windows, and scopes it knows
 * are waiting, so that a flood's refused attempts are answered without a write each.
 */
export class ThrottleMemory {
  lastSweep = 0;
  readonly blocked = new Lru<string, number>(10_000);
}

/** Counts this attempt (as a failure until it succeeds) and refuses it while any of its scopes must wait. */
export async function takeLoginAttempt(db: Db, attempt: Attempt, now: number, memory = new ThrottleMemory()): Promise<void> {
  const keys = scopes(attempt);
  // Known to be waiting: refused from memory (the table says the same; it is not written again).
  const waiting = Math.max(0, ...keys.map((k) => memory.blocked.get(k.key) ?? 0));
  if (waiting > now) throw tooMany(Math.ceil((waiting - now) / 1000));
  if (now - memory.lastSweep > SWEEP_EVERY_MS) {
    memory.lastSweep = now;
    await sweep(db, now);
  }
  for (const { key, limit } of keys) {
    const row = (
      await sql<{ failures: number; blocked_until: number | null }>`
        INSERT INTO login_attempts (scope, failures, window_started_at, blocked_until) VALUES (${key}, 1, ${now}, NULL)
        ON CONFLICT (scope) DO UPDATE SET
          failures = CASE WHEN window_started_at < ${now - WINDOW_MS} THEN 1 WHEN blocked_until > ${now} THEN failures ELSE failures + 1 END,
          window_started_at = CASE WHEN window_started_at < ${now - WINDOW_MS} THEN ${now} ELSE window_started_at END
        RETURNING failures, blocked_until`.execute(db)
    ).rows[0]!;
    if (row.blocked_until !== null && row.blocked_until > now) {
      memory.blocked.set(key, row.blocked_until);
      throw tooMany(Math.ceil((row.blocked_until - now) / 1000));
    }
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
      memory.blocked.set(key, now + delay);
      if (row.blocked_until === null) throw tooMany(Math.ceil(delay / 1000));
    }
  }
}

async function sweep(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where('window_started_at', '<', now - WINDOW_MS)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .execute();
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

/**
 * A right password clears this browser's own count on the account (per address and account, or its
 * device); the address's and the account's counts only lose this attempt, so strangers' failures
 * elsewhere are not forgiven by the owner's success.
 */
export async function loginSucceeded(db: Db, attempt: Attempt, memory?: ThrottleMemory): Promise<void> {
  for (const { key } of scopes(attempt)) {
    if (key.startsWith('a:') || key.startsWith('u:')) {
      await sql`UPDATE login_attempts SET failures = failures - 1 WHERE scope = ${key}`.execute(db);
      await db.deleteFrom('login_attempts').where('scope', '=', key).where('failures', '<=', 0).where('blocked_until', 'is', null).execute();
    } else {
      await db.deleteFrom('login_attempts').where('scope', '=', key).execute();
      memory?.blocked.delete(key);
    }
  }
}

/**
 * Until when (ms) this process already knows an attempt without a device token must wait: its
 * address's, its account's from here, or its account's anywhere. 0 when none is known to wait.
 */
export function knownWaitUntil(memory: ThrottleMemory, address: string, email: string | undefined): number {
  const keys = [`a:${address}`];
  if (email) keys.push(`e:${email.toLowerCase()}|${address}`, `u:${email.toLowerCase()}`);
  return Math.max(0, ...keys.map((k) => memory.blocked.get(k) ?? 0));
}

/** The refusal's words, shared by the early answer and the counted one. */
export const tooManyMessage = (seconds: number) => `Too many failed sign-ins from here. Try again in ${plural(seconds, 'second')}.`;
