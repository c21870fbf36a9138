import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { sha256Hex } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import { feedLastModified, feedSessions, feedVersion, feedWindow } from './feed-data.js';
import { renderFeed } from './feed-render.js';
import { resolveFeedToken } from './feeds-service.js';
import { gzip, type FeedCache } from './feed-cache.js';

const httpDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toUTCString();

/** Whether the client takes gzip: `gzip;q=0` (or `*;q=0` without gzip named) means no. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzipQ: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const weight = Number.isFinite(q) ? q : 0;
    if (name === 'gzip' || name === 'x-gzip') gzipQ = weight;
    else if (name === '*') star = weight;
  }
  return (gzipQ ?? star ?? 0) > 0;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === etag || v === '*';
  });
}

/**
 * `GET /calendars/{token}.ics`: public, token-only. A 304 or a cached body costs the token's
 * lookup alone (it brings the practice's data version); a render happens only when that changed.
 */
export function calendarRoutes(cache: FeedCache) {
  return new Hono<AppEnv>().get('/:file', async (c) => {
    const file = c.req.param('file');
    const now = c.var.clock.now().getTime();
    const feed = file.endsWith('.ics') ? await resolveFeedToken(c.var.db, file.slice(0, -4), now) : null;
    if (!feed) throw new AppError('not_found', 'No such calendar feed (it may have been revoked)');
    const window = feedWindow(now, feed.timezone);
    const version = feedVersion(feed, window, feed.data_version);
    let entry = cache.get(feed.id, version);
    const tag = entry?.etag ?? `"${(await sha256Hex(version)).slice(0, 32)}"`;
    const lastModified = entry?.lastModified ?? (await feedLastModified(c.var.db, feed, window));
    const zipped = c.var.config.precompressFeeds !== false && acceptsGzip(c.req.header('accept-encoding'));
    // Each encoding is its own representation with its own strong validator.
    const etag = zipped ? tag.replace(/"$/, '-gzip"') : tag;
    const headers = {
      ETag: etag,
      'Last-Modified': httpDate(lastModified),
      'Cache-Control': 'private, max-age=300',
      Vary: 'Accept-Encoding',
    };
    const inm = c.req.header('if-none-match');
    const ims = c.req.header('if-modified-since');
    // HTTP dates have whole seconds: a change later in the same second as Last-Modified would be
    // invisible to If-Modified-Since, so it only answers 304 once that second has passed.
    const lmSecond = Math.floor(lastModified / 1000) * 1000;
    const imsUnchanged = ims !== undefined && lmSecond < Math.floor(now / 1000) * 1000 && Date.parse(ims) >= lmSecond;
    if (inm ? etagMatches(inm, etag) : imsUnchanged) {
      return c.body(null, 304, headers);
    }
    if (!entry) {
      const sessions = await feedSessions(c.var.db, feed, window);
      const body = renderFeed({ name: feed.name, zone: feed.timezone, uidDomain: new URL(c.var.config.publicBaseUrl).hostname, now }, sessions);
      entry = { version, etag: tag, lastModified, body };
      cache.set(feed.id, entry);
    }
    const type = { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': 'inline; filename="groups.ics"' };
    // A year of sessions is ~1 MB of text and compresses ~20×; compress once per version, not per poll.
    if (zipped) {
      entry.gzip ??= await gzip(entry.body);
      return c.body(entry.gzip as Uint8Array<ArrayBuffer>, 200, {
        ...headers,
        ...type,
        'Content-Encoding': 'gzip',
        'Content-Length': String(entry.gzip.byteLength),
      });
    }
    // Said outright: a HEAD (a calendar client checking before it downloads) is answered with no body to measure.
    entry.octets ??= new TextEncoder().encode(entry.body).byteLength;
    return c.body(entry.body, 200, { ...headers, ...type, 'Content-Length': String(entry.octets) });
  });
}
