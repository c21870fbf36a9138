import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { setSessionCookie } from '../auth/auth-middleware.js';
import { clientAddress } from '../auth/client-address.js';
import { takeLoginAttempt } from '../auth/login-throttle.js';
import { AppError } from '../lib/errors.js';
import { safeNext } from './sign-in-pages.js';
import { finishNhsSignIn, NhsSignInRefused, startNhsSignIn, FAILED } from './nhs-sign-in.js';

/** Where a refused NHS sign-in lands: the sign-in page, with its plain message. */
const refusedAt = (said: string) => `/login?signin=${encodeURIComponent(said)}`;

/**
 * `/auth/oidc/start` and `/auth/oidc/callback`: staff sign in with the NHS account they already
 * have. The same session, cookie and CSRF protection as a password sign-in; roles stay here.
 * Without OIDC settings both answer 404, as if they were not there.
 */
export const nhsSignInRoutes = new Hono<AppEnv>()
  .get('/auth/oidc/start', async (c) => {
    const s = c.var.config.oidc;
    if (!s) return c.notFound();
    try {
      return c.redirect(await startNhsSignIn(c.var.db, c.var.config, s, c.var.clock.now().getTime(), safeNext(c.req.query('next'))), 302);
    } catch (err) {
      // The provider could not be reached (its discovery document): the page says so, the log says why.
      console.warn(`NHS sign-in could not start: ${(err as Error).message}`);
      return c.redirect(refusedAt(FAILED), 303);
    }
  })
  .get('/auth/oidc/callback', async (c) => {
    const s = c.var.config.oidc;
    if (!s) return c.notFound();
    const { db, config, clock } = c.var;
    const now = clock.now().getTime();
    try {
      const signedIn = await finishNhsSignIn(db, config, s, now, new URL(c.req.url).search.slice(1));
      setSessionCookie(c, signedIn.token);
      return c.redirect(signedIn.user.role === 'staff' && signedIn.next === '/today' ? '/groups' : signedIn.next, 303);
    } catch (err) {
      if (!(err instanceof NhsSignInRefused)) throw err;
      console.warn(`NHS sign-in refused from ${clientAddress(c)}: ${err.why}`);
      // Counted as a failed sign-in from this address: a flood of forged callbacks is slowed like guessed passwords.
      try {
        await takeLoginAttempt(db, { email: 'nhs-account', address: clientAddress(c) }, now, c.var.throttle);
      } catch (limit) {
        if (limit instanceof AppError && limit.status === 429) return c.redirect(refusedAt(limit.message), 303);
        throw limit;
      }
      return c.redirect(refusedAt(err.said), 303);
    }
  });
