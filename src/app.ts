import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps, AppEnv } from './app-env.js';
import { AnswerCache } from './answers/answer-cache.js';
import { HashingGate } from './auth/hashing-gate.js';
import { ThrottleMemory } from './auth/login-throttle.js';
import { ReadFolding } from './audit/audit-service.js';
import { AppError } from './lib/errors.js';
import { calendarRoutes } from './feeds/calendar-routes.js';
import { FeedCache } from './feeds/feed-cache.js';
import { webhookRoutes } from './sms/webhook-routes.js';
import { webRoutes } from './page-routes.js';
import { answerHeaders } from './answers/answer-headers.js';
import { openApiRoutes } from './openapi/openapi-routes.js';
import { MemoRouter } from './lib/routing/memo-router.js';
import { healthBody } from './lib/health.js';
import { PublicAnswers, publicRoutes } from './whats-on/public-routes.js';
import { apiRoutes } from './api-routes.js';
import { refuseKnownFloods } from './auth/sign-in-flood.js';
import { errorAnswer, notFoundAnswer } from './app-errors.js';

const BODY_LIMIT_BYTES = 256 * 1024;

/** The whole app from its dependencies; Node, Workers and tests each pass their own. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>({ router: new MemoRouter() });
  // First, before every other layer: a load balancer's probe needs none of them, and asks often.
  app.get('/healthz', (c) => c.body(healthBody(deps.clock), 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }));
  const throttle = new ThrottleMemory();
  app.on('POST', ['/api/v1/auth/login', '/login'], refuseKnownFloods(throttle, deps));
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
    if (deps.auditArchive) c.set('auditArchive', deps.auditArchive);
    if (deps.boards) c.set('boards', deps.boards);
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

  app.route('/api/v1', apiRoutes());
  app.route('/', publicRoutes(publicAnswers));
  app.route('/', webRoutes());

  app.notFound(notFoundAnswer);
  app.onError(errorAnswer());
  return app;
}

export type App = ReturnType<typeof createApp>;
