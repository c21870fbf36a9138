import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { STYLES } from './styles.js';

/** The one inline stylesheet every page carries (one request on a poor signal), allowed by its hash. */
let stylesHash: Promise<string> | undefined;
async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

/**
 * What every page (and every API answer) says about itself to the browser. Practice PCs are shared:
 * nothing with a person's details is stored by the browser (`no-store`; the offline register keeps
 * its own copies in Cache Storage and clears them at sign-out). Pages run only our own scripts and
 * styles (CSP), so injected markup can neither run nor send anything anywhere.
 */
export const pageHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const res = c.res;
  if (!res.headers.has('cache-control') && (c.req.path.startsWith('/api/') || (res.headers.get('content-type') ?? '').startsWith('text/html'))) {
    res.headers.set('Cache-Control', 'no-store');
  }
  if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) return;
  stylesHash ??= sha256Base64(STYLES);
  // Swagger UI styles its parts inline; the reference holds no personal data.
  const styles = c.req.path.startsWith('/api/docs') ? "'self' 'unsafe-inline'" : `'self' 'sha256-${await stylesHash}'`;
  res.headers.set(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self'; style-src ${styles}; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'`,
  );
});
