import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.js';
import { SESSION_COOKIE, signIn } from '../auth/auth-middleware.js';
import { authenticate, logout } from '../auth/auth-service.js';
import { AppError } from '../lib/errors.js';
import { LoginPage } from './login-page.js';
import { csrfFor } from '../auth/csrf.js';

const HOME = '/today';
const PROBE = 'http://same-origin.invalid';

/**
 * Where to go after signing in: only a path on this site. Anything that could leave it ("//evil",
 * "/\\evil", a full URL) or break the Location header (control characters) goes home instead.
 */
export function safeNext(n: string | undefined): string {
  if (!n || !n.startsWith('/') || n.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(n)) return HOME;
  try {
    const url = new URL(n, PROBE);
    return url.origin === PROBE ? url.pathname + url.search + url.hash : HOME;
  } catch {
    return HOME;
  }
}

/**
 * Sign-in and sign-out pages. The login form needs no CSRF token (there is no session yet);
 * SameSite cookies and an Origin check cover it. Sign-out checks the session's token.
 */
export const authPages = new Hono<AppEnv>()
  .get('/login', (c) => {
    // A refused NHS sign-in comes back here with its plain message; only ours are shown.
    const said = c.req.query('signin');
    const error = said && /^(Your NHS account|Signing in with your NHS account|Too many)/.test(said) ? said.slice(0, 200) : undefined;
    return c.html(<LoginPage next={safeNext(c.req.query('next'))} error={error} nhsLabel={c.var.config.oidc?.label} />, error ? 401 : 200);
  })
  .post('/login', async (c) => {
    const body = await c.req.parseBody();
    const email = String(body.email ?? '').trim();
    const next = safeNext(String(body.next ?? ''));
    try {
      const result = await signIn(c, email, String(body.password ?? ''));
      return c.redirect(result.user.role === 'staff' && next === '/today' ? '/groups' : next, 303);
    } catch (err) {
      if (err instanceof AppError && (err.status === 401 || err.status === 429)) {
        return c.html(<LoginPage next={next} email={email} error={err.message} nhsLabel={c.var.config.oidc?.label} />, err.status);
      }
      throw err;
    }
  })
  .post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const user = token ? await authenticate(c.var.db, c.var.clock, token) : null;
    if (user) {
      const body = await c.req.parseBody();
      if (body._csrf !== (await csrfFor(user.tokenHash))) throw new AppError('forbidden', 'This form has expired. Reload the page and try again.');
      await logout(c.var.db, user.tokenHash);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });
