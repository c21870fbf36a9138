import type { Context } from 'hono';
import { z } from 'zod';
import { parseOrThrow } from '../lib/validate.js';
import type { Session } from '../db/schema.js';
import { assertLeads } from '../leaders/leader-access.js';
import { fingerprint } from '../lib/fingerprint.js';
import type { WebEnv } from '../web/web-auth.js';
import { getSession } from '../sessions/sessions-service.js';
import { registerClosed } from './register-service.js';
import { registerVersion } from './register-reads.js';

type PageUser = WebEnv['Variables']['user'];

/**
 * The register page's validator as a phone keeps it: unchanged while the register, the practice's
 * data, whether it is open yet and this session's own chrome (its CSRF token, an admin's notices)
 * are unchanged. Null when the register has no version to name.
 */
export function registerPageTag(user: PageUser, session: Pick<Session, 'starts_at' | 'status'>, version: string | null, now: number): string | null {
  if (!version) return null;
  const chrome = fingerprint(JSON.stringify([user.name, user.role, user.practiceCount, user.smsBudget?.state, user.operations]));
  return `W/"register-page-${version}-${registerClosed(session, now) ? 'closed' : 'open'}-${user.tokenHash.slice(0, 12)}-${chrome}"`;
}

/** `s=ID:TAG` pairs, at most 200 (a busy practice's week): anything else is refused, not guessed at. */
const Asked = z.array(z.string().regex(/^\d{1,12}:\S{1,200}$/, 'each s is a session id, a colon and the ETag kept for it')).max(200);

/**
 * `GET /offline/stale?s=ID:TAG&s=…`: which of the registers a phone keeps have changed, in one
 * request, so a visit to Today revalidates the week with one round trip instead of one per
 * register (each ~0.8 KB of request headers on a slow link). A register the caller may not see,
 * or that does not exist, is named stale: fetching it then answers as the page itself would.
 */
export async function staleRegisters(c: Context<WebEnv>) {
  const now = c.var.clock.now().getTime();
  const stale: number[] = [];
  for (const pair of parseOrThrow(Asked, c.req.queries('s') ?? [])) {
    const cut = pair.indexOf(':');
    const id = Number(pair.slice(0, cut));
    const tag = await currentTag(c, id, now).catch(() => null);
    if (tag === null || tag !== pair.slice(cut + 1)) stale.push(id);
  }
  return c.json({ stale }, 200, { 'cache-control': 'no-store' });
}

async function currentTag(c: Context<WebEnv>, sessionId: number, now: number): Promise<string | null> {
  const { user, db } = c.var;
  const session = await getSession(db, user.practiceId, sessionId);
  await assertLeads(db, user, session.group_id, 'Session');
  return registerPageTag(user, session, await registerVersion(db, session, user), now);
}
