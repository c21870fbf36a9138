import { createMiddleware } from 'hono/factory';
import { STYLES } from '../web/styles.js';

/** All the header layer reads of a request: the id it gives it. Nothing else of the app, so it sits below it. */
type HeaderEnv = { Variables: { requestId: string } };

/** The one inline stylesheet every page carries (one request on a poor signal), allowed by its hash. */
let stylesHash: Promise<string> | undefined;
async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

/**
 * Hono's secureHeaders defaults, with a same-origin referrer: a form that comes back with a
 * problem can offer "Go back" to the page it came from, and no address of ours reaches another site.
 */
const FOR_PAGES: [string, string][] = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/**
 * A JSON answer is never a document a browser renders: the headers OWASP's REST Security Cheat
 * Sheet lists for APIs (the rest only act on pages and cost a read a tenth of its time), and
 * Cross-Origin-Resource-Policy so no other site can load one into its own process.
 */
const FOR_JSON: [string, string][] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

const JSON_HEADERS: Record<string, string> = Object.fromEntries(FOR_JSON);

/**
 * Practice PCs are shared: nothing with a person's details is stored by the browser. Every answer
 * says `no-store` unless its route chose its own caching (feeds, icons, the offline shell, public
 * pages): redirects, error pages, downloads and the health probe included, so no answer is stored
 * by being forgotten. The offline register keeps its own copies in Cache Storage, cleared at sign-out.
 */
const NO_STORE = { 'cache-control': 'no-store' } as const;

/**
 * Answers that are neither pages nor JSON (CSV downloads, calendars, icons) load nothing and may
 * not be framed. Scripts are left alone: a policy on the service worker's script would bind the worker.
 */
const FOR_FILES = "default-src 'none'; frame-ancestors 'none'";

/** Answers already carrying every header below: nothing is left to add to them. */
const complete = new WeakSet<Response>();

/**
 * A JSON answer of an API route with its headers in place from the start, as one plain object: for
 * the answers served from memory, where adding them afterwards (a web Headers object built from
 * the route's, seven checked writes to it and a sorted walk to hand it to Node) was a quarter of
 * the time. The same headers answerHeaders gives every other JSON answer.
 */
export function completeJson(c: { get(key: 'requestId'): string }, body: string, more: Record<string, string> = {}): Response {
  const res = new Response(body, {
    status: 200,
    headers: {
      'content-type': 'application/json',
      ...JSON_HEADERS,
      'x-request-id': c.get('requestId'),
      ...NO_STORE,
      ...more,
    },
  });
  complete.add(res);
  return res;
}

const csp = (styles: string) =>
  `default-src 'self'; script-src 'self'; style-src ${styles}; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'`;

const goodRequestId = (id: string | undefined): id is string => id !== undefined && id.length <= 255 && !/[^\w\-=]/.test(id);

/**
 * What every answer says about itself, set in one pass once the route has answered (one layer, not
 * four: each layer's turn and each header written twice cost a fifth of a read's time).
 *
 * - A request id (the caller's, if it sent a sensible one) to match an error to the log.
 * - The security headers above (fewer on JSON), except on a 304: that says "what you kept is still right" and
 *   carries its validators and caching rules only (RFC 9110 15.4.5), so a phone revalidating its
 *   registers moves a few hundred bytes.
 * - `no-store` on every answer whose route did not choose its own caching.
 * - A policy that loads nothing on downloads (CSV, calendars, icons).
 * - Pages run only our own scripts and styles (CSP), so injected markup can neither run nor send
 *   anything anywhere.
 */
export const answerHeaders = createMiddleware<HeaderEnv>(async (c, next) => {
  const asked = c.req.header('x-request-id');
  const requestId = goodRequestId(asked) ? asked : crypto.randomUUID();
  c.set('requestId', requestId);
  await next();
  const res = c.res;
  if (complete.has(res)) return;
  const headers = res.headers;
  const type = headers.get('content-type') ?? '';
  const html = type.startsWith('text/html');
  if (res.status !== 304) {
    for (const [name, value] of type.startsWith('application/json') ? FOR_JSON : FOR_PAGES) headers.set(name, value);
    headers.set('X-Request-Id', requestId);
  }
  if (!headers.has('cache-control')) headers.set('Cache-Control', 'no-store');
  if (!html) {
    if (res.status !== 304 && !type.startsWith('application/json') && !type.includes('javascript') && !headers.has('content-security-policy'))
      headers.set('Content-Security-Policy', FOR_FILES);
    return;
  }
  stylesHash ??= sha256Base64(STYLES);
  // Swagger UI styles its parts inline; the reference holds no personal data.
  headers.set('Content-Security-Policy', csp(c.req.path.startsWith('/api/docs') ? "'self' 'unsafe-inline'" : `'self' 'sha256-${await stylesHash}'`));
});
