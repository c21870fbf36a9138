import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { addressOf } from '../auth/client-address.js';
import { AppError, notFound } from '../lib/errors.js';
import { Lru } from '../lib/lru.js';
import { sha256Hex } from '../lib/crypto.js';
import { localDate } from '../lib/time/time.js';
import { publicFeed } from './public-feed.js';
import { publicGroups, publicSessions } from './public-listing.js';
import { WhatsOnPage } from './whats-on-page.js';
import { serviceOf, servicesPage } from './directories/open-referral.js';

/** Requests an address may make to the public pages a minute, unless configured: a crawler's pace, not a flood's. */
export const PUBLIC_PER_MINUTE = 120;

/** A fixed window per address; the oldest addresses are forgotten first. */
class PublicThrottle {
  private readonly windows = new Lru<string, { start: number; n: number }>(20_000);
  allow(address: string, now: number, limit: number): number {
    const w = this.windows.get(address);
    if (!w || now - w.start >= 60_000) {
      this.windows.set(address, { start: now, n: 1 });
      return 0;
    }
    w.n += 1;
    return w.n > limit ? Math.ceil((w.start + 60_000 - now) / 1000) : 0;
  }
}

const Paging = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(50),
});

const etagOf = async (body: string) => `W/"${(await sha256Hex(body)).slice(0, 32)}"`;

/**
 * What anyone may read with no sign-in: the what's-on page, a public group's calendar, and Open
 * Referral UK. No cookie is set or read; answers are `Cache-Control: public` with an ETag, and one
 * rendering serves every request until the data or the day changes (a crawler's burst costs a
 * read of the data version each). Only public groups, their public words, venues and sessions:
 * never a person, a count of people, a private group or its name.
 */
/**
 * The public answers already rendered, and the data version they were rendered at. The version is
 * read at most once a second (a crawler's burst costs no query per request); a write through this
 * process forgets it at once, so what a CLP changes shows on the next request here, and within a
 * second on any other process (a Workers isolate) that shares the database.
 */
export class PublicAnswers {
  readonly rendered = new Lru<string, { version: string; body: Uint8Array<ArrayBuffer>; etag: string; type: string }>(500);
  private known: { version: string; at: number } | null = null;
  forget(): void {
    this.known = null;
  }
  async version(c: Context<AppEnv>): Promise<string> {
    const now = Date.now();
    if (this.known && now - this.known.at < 1000) return this.known.version;
    const row = await c.var.db
      .selectFrom('practices')
      .select((eb) => [eb.fn.sum<number>('data_version').as('v'), eb.fn.max('timezone').as('zone')])
      .executeTakeFirst();
    // The coming weeks start at the practices' midnight: a new day is a new answer.
    const version = `${Number(row?.v ?? 0)}|${localDate(c.var.clock.now().getTime(), row?.zone ?? 'Europe/London')}`;
    this.known = { version, at: now };
    return version;
  }
}

/**
 * What anyone may read with no sign-in: the what's-on page, a public group's calendar, and Open
 * Referral UK. No cookie is set or read; answers are `Cache-Control: public` with an ETag, and one
 * rendering serves every request until the data or the day changes. Only public groups, their
 * public words, venues and sessions: never a person, a count of people, a private group or its name.
 */
export function publicRoutes(answers: PublicAnswers) {
  const throttle = new PublicThrottle();

  async function answer(c: Context<AppEnv>, type: string, render: () => Promise<string>) {
    const version = await answers.version(c);
    let hit = answers.rendered.get(c.req.url);
    if (!hit || hit.version !== version) {
      const text = await render();
      hit = { version, body: new TextEncoder().encode(text), etag: await etagOf(text), type };
      answers.rendered.set(c.req.url, hit);
    }
    const headers = { 'cache-control': 'public, max-age=300', etag: hit.etag, vary: 'accept-encoding' };
    if (c.req.header('if-none-match') === hit.etag) return c.body(null, 304, headers);
    return c.body(hit.body, 200, { ...headers, 'content-type': hit.type });
  }

  const base = (c: Context<AppEnv>) => c.var.config.publicBaseUrl ?? new URL(c.req.url).origin;

  // Only the public paths: mounted at the root, a bare use() would throttle every page and API call.
  const limited = createMiddleware<AppEnv>(async (c, next) => {
    const wait = throttle.allow(addressOf(c, c.var.config.trustProxy ?? 0), c.var.clock.now().getTime(), c.var.config.publicPerMinute ?? PUBLIC_PER_MINUTE);
    if (wait > 0)
      throw new AppError('too_many_requests', `Too many requests: try again in ${wait} seconds`, { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
    await next();
  });

  return new Hono<AppEnv>()
    .use('/whats-on', limited)
    .use('/whats-on/*', limited)
    .use('/openreferral/*', limited)
    .get('/whats-on', (c) =>
      answer(c, 'text/html; charset=utf-8', async () => {
        const practiceCode = c.req.query('practice') || undefined;
        const groups = await publicGroups(c.var.db, { practiceCode });
        const sessions = await publicSessions(c.var.db, groups, c.var.clock.now().getTime());
        return `<!doctype html>${(<WhatsOnPage groups={groups} sessions={sessions} baseUrl={base(c)} practiceCode={practiceCode} />).toString()}`;
      }),
    )
    .get('/whats-on/groups/:file', async (c) => {
      const id = /^(\d{1,12})\.ics$/.exec(c.req.param('file'))?.[1];
      const [g] = id ? await publicGroups(c.var.db, { groupId: Number(id) }) : [];
      if (!g) throw notFound('Public group');
      return answer(c, 'text/calendar; charset=utf-8', async () => {
        const now = c.var.clock.now().getTime();
        const sessions = (await publicSessions(c.var.db, [g], now, 26)).get(g.id) ?? [];
        return publicFeed(g, sessions, now, new URL(base(c)).host);
      });
    })
    .get('/openreferral/services', async (c) => {
      const q = Paging.safeParse(c.req.query());
      if (!q.success) throw new AppError('invalid_input', 'page and per_page must be whole numbers (per_page at most 100)', q.error.issues);
      return answer(c, 'application/json', async () => {
        return JSON.stringify(servicesPage(await publicGroups(c.var.db), q.data.page, q.data.per_page));
      });
    })
    .get('/openreferral/services/:id', async (c) => {
      const id = c.req.param('id').toLowerCase();
      const [g] = /^[0-9a-f-]{36}$/.test(id) ? await publicGroups(c.var.db, { uuid: id }) : [];
      if (!g) throw notFound('Service');
      return answer(c, 'application/json', async () => JSON.stringify(await serviceOf(g, c.var.clock.now().getTime(), base(c))));
    });
}
