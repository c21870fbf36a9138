import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireUser } from './auth/auth-middleware.js';
import { AnswerCache } from './answers/answer-cache.js';
import { HashingGate } from './auth/hashing-gate.js';
import { knownWaitUntil, ThrottleMemory, tooManyMessage } from './auth/login-throttle.js';
import { addressOf } from './auth/client-address.js';
import { DEVICE_COOKIE } from './auth/auth-middleware.js';
import { ReadFolding } from './audit/audit-service.js';
import { authRoutes } from './auth/auth-routes.js';
import { closureRoutes } from './closures/closures-routes.js';
import { groupRoutes } from './groups/groups-routes.js';
import { AppError, ERROR_STATUS, type ErrorCode } from './lib/errors.js';
import { isStorageFault } from './db/durability.js';
import { groupSessionRoutes, sessionRoutes } from './sessions/sessions-routes.js';
import { userRoutes } from './users/users-routes.js';
import { venueRoutes } from './venues/venues-routes.js';
import { participantRoutes } from './participants/participants-routes.js';
import { enrolmentRoutes } from './enrolments/enrolments-routes.js';
import { checkInRoutes, registerRoutes } from './attendance/register-routes.js';
import { reportRoutes } from './reports/reports-routes.js';
import { auditRoutes } from './audit/audit-routes.js';
import { calendarRoutes } from './feeds/calendar-routes.js';
import { FeedCache } from './feeds/feed-cache.js';
import { feedRoutes } from './feeds/feeds-routes.js';
import { messageRoutes, sessionMessageRoutes } from './sms/messages-routes.js';
import { webhookRoutes } from './sms/webhook-routes.js';
import { webRoutes } from './page-routes.js';
import { STYLES } from './web/styles.js';
import { answerHeaders } from './answers/answer-headers.js';
import { practiceRoutes } from './practice/practice-routes.js';
import { practicesRoutes } from './practice/practices-routes.js';
import { programmeRoutes } from './reports/programme-routes.js';
import { idempotency } from './idempotency/idempotency-middleware.js';
import { smsUsageRoutes, textTemplateRoutes } from './sms/texts-routes.js';
import { outcomeRoutes, outcomesDueRoutes } from './outcomes/outcomes-routes.js';
import { gpRoutes } from './gp-appointments/gp-routes.js';
import { retentionRoutes } from './retention/retention-routes.js';
import { openApiRoutes } from './openapi/openapi-routes.js';
import { knownPathsOnly } from './lib/known-paths.js';
import { MemoRouter } from './lib/memo-router.js';
import { healthBody } from './lib/health.js';
import { restoreRoutes } from './backups/restore-routes.js';
import { followUpRoutes } from './follow-ups/follow-ups-routes.js';
import { leaderScope } from './leaders/leader-access.js';
import { concernRoutes } from './concerns/concerns-routes.js';
import { credentialsDueRoutes, userCredentialRoutes } from './credentials/credentials-routes.js';
import { referralRoutes } from './referrals/referrals-routes.js';
import { PublicAnswers, publicRoutes } from './whats-on/public-routes.js';
import { alissRoutes } from './whats-on/aliss-routes.js';

const BODY_LIMIT_BYTES = 256 * 1024;

const STATUS_CODES = Object.fromEntries(Object.entries(ERROR_STATUS).map(([code, status]) => [status, code])) as Record<number, ErrorCode>;

/** The whole app from its dependencies; Node, Workers and tests each pass their own. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>({ router: new MemoRouter() });
  // A full disk fails every write the same way: say so once a minute per cause, not once per request.
  const lastReported = new Map<string, number>();
  const reportStorageFault = (err: Error & { code: string }) => {
    const now = Date.now();
    if ((lastReported.get(err.code) ?? 0) > now - 60_000) return;
    lastReported.set(err.code, now);
    console.error(`storage fault (${err.code}): ${err.message}; answering 503 until it clears`);
  };

  // First, before every other layer: a load balancer's probe needs none of them, and asks often.
  app.get('/healthz', (c) => c.body(healthBody(deps.clock), 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }));
  const throttle = new ThrottleMemory();
  // A sign-in flood from an address already told to wait is refused here, before anything else
  // runs: each refusal then costs a tenth of a read, and other users keep their share of the
  // server. A browser holding a device cookie goes on to be judged by it (it may be the real user).
  app.on('POST', ['/api/v1/auth/login', '/login'], async (c, next) => {
    if ((c.req.header('cookie') ?? '').includes(`${DEVICE_COOKIE}=`)) return next();
    // A body larger than any sign-in is left to the body limit below.
    if (Number(c.req.header('content-length') ?? 0) > 4096) return next();
    // Read from a copy: the route reads the body itself if the attempt goes on.
    const copy = c.req.raw.clone();
    const email = await (
      c.req.path === '/login' ? copy.formData().then((f) => f.get('email')) : copy.json().then((j) => (j as { email?: unknown } | null)?.email)
    ).then(
      (v) => (typeof v === 'string' ? v.trim() : undefined),
      () => undefined,
    );
    const until = knownWaitUntil(throttle, addressOf(c, deps.config.trustProxy ?? 0), email);
    const now = deps.clock.now().getTime();
    if (until <= now) return next();
    // Held a moment before it is answered: a timer costs nothing, and a flooding connection then
    // asks at most once a second instead of as fast as the server can refuse it (which starved others).
    const hold = Math.min(deps.config.refusalHoldMs ?? 1000, until - now);
    if (hold > 0) await new Promise((r) => setTimeout(r, hold));
    const seconds = Math.max(1, Math.ceil((until - deps.clock.now().getTime()) / 1000));
    const headers = { 'Retry-After': String(seconds), 'Cache-Control': 'no-store' };
    if (c.req.path === '/login') {
      return c.html(
        `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Error: Sign in · Community Links Groups</title></head><body><main><h1>Sign in</h1><p role="alert">${tooManyMessage(seconds)}</p><p><a href="/login">Back to sign in</a></p></main></body></html>`,
        429,
        headers,
      );
    }
    return c.json({ error: { code: 'too_many_requests', message: tooManyMessage(seconds), details: { retryAfterSeconds: seconds } } }, 429, headers);
  });
  app.use(answerHeaders);
  const hashing = deps.hashing ?? new HashingGate();
  const answers = new AnswerCache();
  const folds = new ReadFolding();
  const limitBody = bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `Request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`);
    },
  });
  // One layer, not two: each layer's turn is a share of a read answered from memory.
  app.use((c, next) => {
    c.set('hashing', hashing);
    c.set('throttle', throttle);
    c.set('folds', folds);
    c.set('answers', answers);
    c.set('db', deps.db);
    c.set('clock', deps.clock);
    c.set('config', deps.config);
    c.set('templates', deps.templates);
    // bodyLimit reads the body of every request, which makes @hono/node-server build a full Request
    // (with an AbortSignal listener) even for a GET: reads have no body to limit (FACTS.md).
    return c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next);
  });

  // A write here may change what the public pages show: they ask the database again at once.
  const publicAnswers = new PublicAnswers();
  app.use((c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') publicAnswers.forget();
    return next();
  });
  app.route('/calendars', calendarRoutes(deps.feedCache ?? new FeedCache()));
  app.route('/webhooks/twilio', webhookRoutes);

  // Open to all, and ahead of the API's sign-in check.
  app.route('/', openApiRoutes(app, deps.config.publicBaseUrl, deps.apiDocsFiles));

  const api = new Hono<AppEnv>();
  api.route('/auth', authRoutes);
  api.use('*', knownPathsOnly(api));
  // Registered after /auth, so login stays open and everything below needs a signed-in user.
  api.use('*', requireUser);
  api.use('*', leaderScope);
  api.use('*', idempotency);
  api.route('/users', userRoutes);
  api.route('/venues', venueRoutes);
  api.route('/groups', groupRoutes);
  api.route('/groups', groupSessionRoutes);
  api.route('/sessions', sessionRoutes);
  api.route('/closures', closureRoutes);
  api.route('/participants', participantRoutes);
  api.route('/participants', outcomeRoutes);
  api.route('/outcomes', outcomesDueRoutes);
  api.route('/gp-appointments', gpRoutes);
  api.route('/retention', retentionRoutes);
  api.route('/groups', enrolmentRoutes);
  api.route('/sessions', registerRoutes);
  api.route('/check-ins', checkInRoutes);
  api.route('/reports/sms-usage', smsUsageRoutes);
  api.route('/reports', reportRoutes);
  api.route('/audit-events', auditRoutes);
  api.route('/calendar-feeds', feedRoutes);
  api.route('/messages', messageRoutes);
  api.route('/sms-templates', textTemplateRoutes);
  api.route('/practice', practiceRoutes);
  api.route('/practices', practicesRoutes);
  api.route('/programme', programmeRoutes);
  api.route('/sessions', sessionMessageRoutes);
  api.route('/restores', restoreRoutes);
  api.route('/follow-ups', followUpRoutes);
  api.route('/users', userCredentialRoutes);
  api.route('/credentials', credentialsDueRoutes);
  api.route('/concerns', concernRoutes);
  api.route('/referrals', referralRoutes);
  api.route('/groups', alissRoutes);
  app.route('/api/v1', api);
  app.route('/', publicRoutes(publicAnswers));
  app.route('/', webRoutes());

  app.notFound((c) => {
    if (!c.req.path.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html')) {
      return c.html(
        `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Page not found · Community Links Groups</title><style>${STYLES}</style></head><body><main id="main"><h1>Page not found</h1><p>If you typed the address, check it is right. If you followed a link, it may be out of date.</p><p><a href="/">Go to the start page</a></p></main></body></html>`,
        404,
      );
    }
    return c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404);
  });
  app.onError((err, c) => {
    const requestIdValue = c.get('requestId');
    if (err instanceof AppError) {
      const body = { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }), requestId: requestIdValue } };
      return c.json(body, err.status as ContentfulStatusCode, err.headers);
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own 4xx, e.g. a body that is not JSON.
      const code = STATUS_CODES[err.status] ?? 'invalid_input';
      return c.json({ error: { code, message: err.message || 'Bad request', requestId: requestIdValue } }, err.status);
    }
    if (isStorageFault(err)) {
      reportStorageFault(err as Error & { code: string });
      return c.json(
        {
          error: {
            code: 'storage_unavailable',
            message: 'The server cannot write to its storage right now; nothing was changed. Please try again later.',
            requestId: requestIdValue,
          },
        },
        503,
        { 'Retry-After': '30' },
      );
    }
    console.error(`[${requestIdValue}]`, err);
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side', requestId: requestIdValue } }, 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
