import { createMiddleware } from 'hono/factory';
import type { AuthUser } from '../auth/auth-user.js';
import type { Clock } from '../lib/time/clock.js';
import { Lru } from '../lib/lru.js';
import { localDate } from '../lib/time/time.js';
import { completeJson } from './answer-headers.js';

/** Answers larger than this are built afresh each time rather than held in memory. */
const MAX_BODY_CHARS = 256 * 1024;

/**
 * JSON answers of read routes, each kept with the practice's data version it was built from.
 * The triggers bump that version on every change to sessions, groups, venues, enrolments and
 * facilitators, and the version comes with the caller's sign-in lookup, so an unchanged answer
 * costs no query of its own and a changed one is never served: the version no longer matches.
 */
export class AnswerCache {
  private readonly entries: Lru<string, Kept>;

  constructor(maxEntries = 1_000) {
    this.entries = new Lru(maxEntries);
  }

  get(key: string, version: number | string): string | undefined {
    return this.kept(key, version)?.body;
  }

  /** The answer with the people it shows, for a route that audits each read of them. */
  kept(key: string, version: number | string): Kept | undefined {
    const hit = this.entries.get(key);
    return hit?.version === version ? hit : undefined;
  }

  set(key: string, version: number | string, body: string, shown: number[] = []): void {
    if (body.length <= MAX_BODY_CHARS) this.entries.set(key, { version, body, shown });
  }
}

interface Kept {
  version: number | string;
  body: string;
  /** Who the answer shows: kept beside it, so a read from memory need not parse it to audit them. */
  shown: number[];
}

/**
 * Serves a read route from the cache while the practice's data is unchanged. Only for routes
 * whose answer depends on nothing but that data, the address and the practice's local date (a
 * default range starts today): not for anything that audits a read or shows participants.
 */
/** What the cache reads of a request: the signed-in user, the clock, the cache itself and the request id. */
type CacheEnv = { Variables: { user: AuthUser; clock: Clock; answers: AnswerCache; requestId: string } };

export const versionedAnswer = createMiddleware<CacheEnv>(async (c, next) => {
  const user = c.get('user');
  const answers = c.get('answers');
  // A leader's answer shows only their own groups: theirs alone, never shared with the practice's.
  const who = user.role === 'leader' ? `leader ${user.id}` : 'practice';
  const key = `${user.practiceId}|${who}|${user.timezone}|${localDate(c.get('clock').now().getTime(), user.timezone)}|${c.req.url}`;
  const hit = answers.get(key, user.dataVersion);
  if (hit !== undefined) return completeJson(c, hit);
  await next();
  if (c.res.status === 200) answers.set(key, user.dataVersion, await c.res.clone().text());
});
