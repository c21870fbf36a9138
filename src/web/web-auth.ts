import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { SESSION_COOKIE } from '../auth/auth-middleware.js';
import { authenticate, membershipsOf } from '../auth/auth-service.js';
import type { Role } from '../db/schema.js';
import { csrfFor } from '../auth/csrf.js';
import { AppError } from '../lib/errors.js';
import { setBudgetStatus } from '../sms/outbox/budget.js';
import { operationsNotice } from '../backups/operations-notice.js';

export type WebEnv = { Variables: AppEnv['Variables'] & { csrf: string } };

/** Pages need the session cookie; without it, the sign-in page (and back here afterwards). */
export const webUser = createMiddleware<WebEnv>(async (c, next) => {
  // Machine paths that no route matched fall through to here: they get the JSON 404, not a login page.
  if (/^\/(api|calendars|webhooks)\//.test(c.req.path)) return next();
  const token = getCookie(c, SESSION_COOKIE);
  const user = token ? await authenticate(c.var.db, c.var.clock, token) : null;
  if (!user) {
    const back = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(back.pathname + back.search)}`, 303);
  }
  const practiceCount = (await membershipsOf(c.var.db, user.id)).length;
  const admin = user.role === 'admin';
  const smsBudget = admin ? ((await setBudgetStatus(c.var.db, user.practiceId, c.var.clock.now().getTime())) ?? undefined) : undefined;
  const operations = admin ? await operationsNotice(c.var.db, user.practiceId) : undefined;
  c.set('user', { ...user, practiceCount, smsBudget, operations });
  c.set('csrf', await csrfFor(user.tokenHash));
  await next();
});

/** Reads a form and refuses it unless it carries this session's CSRF token. */
export async function form(c: Context<WebEnv>): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  if (out._csrf !== c.var.csrf) throw new AppError('forbidden', 'This form has expired. Go back, reload the page and try again.');
  return out;
}

export const pageRoles = (...roles: Role[]) =>
  createMiddleware<WebEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw new AppError('forbidden', 'Your role cannot see this page.');
    await next();
  });

export const str = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
