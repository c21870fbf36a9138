import type { Db } from '../db/schema.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';

/** How many browsers an account is remembered on; the least recently used goes first. */
const KEEP_PER_USER = 20;

/**
 * The device a browser's cookie names, if it names one that signed in to this account before: its
 * hash, which is the throttle's key for that browser alone. A cookie for another account, or an
 * unknown one, counts for nothing (the browser is treated as a stranger).
 */
export async function trustedDevice(db: Db, token: string | undefined, email: string): Promise<string | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const hash = await sha256Hex(token);
  const hit = await db
    .selectFrom('trusted_devices as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select('d.token_hash')
    .where('d.token_hash', '=', hash)
    .where('u.email', '=', email)
    .executeTakeFirst();
  return hit?.token_hash;
}

/** After a right password: this browser is remembered for the account (a new token unless it holds one). */
export async function rememberDevice(db: Db, userId: number, device: string | undefined, now: number): Promise<string | null> {
  if (device) {
    await db.updateTable('trusted_devices').set({ last_used_at: now }).where('token_hash', '=', device).execute();
    return null;
  }
  const token = randomToken();
  await db
    .insertInto('trusted_devices')
    .values({ token_hash: await sha256Hex(token), user_id: userId, created_at: now, last_used_at: now })
    .execute();
  await db
    .deleteFrom('trusted_devices')
    .where('user_id', '=', userId)
    .where('token_hash', 'not in', (eb) =>
      eb.selectFrom('trusted_devices').select('token_hash').where('user_id', '=', userId).orderBy('last_used_at', 'desc').limit(KEEP_PER_USER),
    )
    .execute();
  return token;
}
