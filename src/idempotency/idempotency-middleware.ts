import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { sha256Hex } from '../lib/crypto.js';
import { AppError, invalid, unprocessable } from '../lib/errors.js';

/** How long a key is remembered: longer than any phone stays offline with a save waiting. */
const KEY_TTL_MS = 7 * 24 * 3_600_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH']);

/**
 * `Idempotency-Key` (IETF httpapi draft) on every POST / PUT / PATCH under /api/v1: the first
 * answer to a key is kept and replayed for a retry with the same request; the same key with a
 * different request is 422; a retry while the first is still running is 409. A retry over a bad
 * connection therefore never sends a text twice or writes twice. Keys are per user.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  if (!UNSAFE.has(c.req.method)) return next();
  const key = c.req.header('idempotency-key');
  if (key === undefined) return next();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw invalid('Idempotency-Key must be 1 to 255 visible ASCII characters');
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const fingerprint = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
  await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', now - KEY_TTL_MS)
    .execute();
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ user_id: user.id, key, fingerprint, state: 'running', status_code: null, content_type: null, response_body: null, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) {
    const first = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', user.id).where('key', '=', key).executeTakeFirstOrThrow();
    if (first.fingerprint !== fingerprint) throw unprocessable('This Idempotency-Key was already used for a different request');
    if (first.state === 'running') {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed; try again shortly', undefined, { 'Retry-After': '1' });
    }
    return c.body(first.response_body ?? '', first.status_code as 200, {
      ...(first.content_type && { 'Content-Type': first.content_type }),
      'Idempotent-Replayed': 'true',
    });
  }
  try {
    await next();
  } catch (err) {
    await db.deleteFrom('idempotency_keys').where('user_id', '=', user.id).where('key', '=', key).execute();
    throw err;
  }
  if (c.res.status >= 500) {
    // Nothing was decided: the client may try again with the same key.
    await db.deleteFrom('idempotency_keys').where('user_id', '=', user.id).where('key', '=', key).execute();
    return;
  }
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', status_code: c.res.status, content_type: c.res.headers.get('content-type'), response_body: await c.res.clone().text() })
    .where('user_id', '=', user.id)
    .where('key', '=', key)
    .execute();
});
