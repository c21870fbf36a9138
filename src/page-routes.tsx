import { Hono, type Context } from 'hono';
import { csrf } from 'hono/csrf';
import { compress } from 'hono/compress';
import type { AppEnv } from './app-env.js';
import { authPages } from './sign-in/sign-in-pages.js';
import { setupPages } from './users/setup-pages.js';
import { renderWebError } from './web/error-page.js';
import { groupPages } from './groups/group-pages.js';
import { venuePages } from './venues/venue-pages.js';
import { feedPages } from './feeds/feed-pages.js';
import { messagesPages } from './sms/pages/messages-pages.js';
import { participantPages } from './participants/participant-pages.js';
import { reportPages } from './reports/attendance/report-pages.js';
import { impactPages } from './reports/impact/impact-pages.js';
import { outcomePages } from './outcomes/outcome-pages.js';
import { gpPages } from './gp-appointments/gp-pages.js';
import { retentionPages } from './retention/retention-pages.js';
import { sessionPages } from './sessions/session-pages.js';
import { type WebEnv } from './web/web-auth.js';
import { webUser } from './page-user.js';
import { usersPages } from './users/users-pages.js';
import { textPages } from './sms/pages/texts-pages.js';
import { practicePages } from './practice/practice-pages.js';
import { offlineRoutes } from './web/offline/offline-routes.js';
import { closurePages } from './closures/closure-pages.js';
import { restorePages } from './backups/restore-pages.js';
import { followUpPages } from './follow-ups/follow-ups-pages.js';
import { summaryPages } from './participants/summary-page.js';
import { leaderPages } from './leaders/leader-access.js';
import { concernPages } from './concerns/concerns-pages.js';
import { credentialPages } from './credentials/credentials-pages.js';
import { referralPages } from './referrals/referral-pages.js';
import { listingPages } from './whats-on/listing-pages.js';
import { nhsSignInRoutes } from './sign-in/nhs-sign-in-routes.js';

/** The server-rendered pages: they call the same services as the API, and work without JavaScript. */
export function webRoutes() {
  const pages = new Hono<WebEnv>();
  pages.use(webUser);
  pages.use(leaderPages);
  pages.get('/', (c) => c.redirect(c.var.user.role === 'staff' ? '/groups' : '/today', 303));
  pages.route('/', sessionPages);
  pages.route('/', groupPages);
  pages.route('/', participantPages);
  pages.route('/', messagesPages);
  pages.route('/', venuePages);
  pages.route('/', feedPages);
  pages.route('/', impactPages);
  pages.route('/', outcomePages);
  pages.route('/', gpPages);
  pages.route('/', retentionPages);
  pages.route('/', reportPages);
  pages.route('/', usersPages);
  pages.route('/', textPages);
  pages.route('/', practicePages);
  pages.route('/', closurePages);
  pages.route('/', restorePages);
  pages.route('/', followUpPages);
  pages.route('/', summaryPages);
  pages.route('/', concernPages);
  pages.route('/', credentialPages);
  pages.route('/', referralPages);
  pages.route('/', listingPages);
  pages.onError((err, c) => renderWebError(err, c));

  const web = new Hono<AppEnv>();
  // A register page is 10 KB of HTML and 2.3 KB gzipped: it matters on a phone with one bar of signal.
  const gzip = compress({ encoding: 'gzip' });
  web.use((c, next) => (c.var.config.compressPages === false ? next() : gzip(c, next)));
  // Form posts must come from our own pages (this also covers the sign-in form, which has no
  // session to derive a token from); the per-session token below covers the rest.
  web.use(csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === (c as Context<AppEnv>).var.config.publicBaseUrl }));
  web.route('/', offlineRoutes);
  web.route('/', authPages);
  web.route('/', nhsSignInRoutes);
  web.route('/', setupPages);
  web.route('/', pages);
  web.onError((err, c) => renderWebError(err, c as never));
  return web;
}
