import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { SESSION_COOKIE } from './auth/auth-middleware.js';
import { authenticate, membershipsOf } from './auth/auth-service.js';
import { csrfFor } from './auth/csrf.js';
import { OperationsBanner } from './backups/operations-banner.js';
import { operationsNotice } from './backups/operations-notice.js';
import { setBudgetStatus } from './sms/outbox/budget.js';
import { BudgetBanner } from './sms/pages/budget-banner.js';
import type { WebEnv } from './web/web-auth.js';

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
  const csrf = await csrfFor(user.tokenHash);
  // Drawn here, where the features meet, so the page shell shows them without importing any feature.
  const banners = (
    <>
      {smsBudget && <BudgetBanner budget={smsBudget} />}
      {operations && <OperationsBanner notice={operations} zone={user.timezone} csrf={csrf} />}
    </>
  );
  c.set('user', { ...user, practiceCount, smsBudget, operations, banners });
  c.set('csrf', csrf);
  await next();
});
