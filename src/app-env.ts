import type { AppConfig } from './config.js';
import type { Db } from './db/schema.js';
import type { Clock } from './lib/time/clock.js';
import type { FeedCache } from './feeds/feed-cache.js';
import type { TemplateLibrary } from './sms/wording/templates.js';
import type { HashingGate } from './auth/hashing-gate.js';
import type { ThrottleMemory } from './auth/login-throttle.js';
import type { ReadFolding } from './audit/audit-service.js';
import type { ApiDocsFiles } from './openapi/openapi-routes.js';
import type { AnswerCache } from './answers/answer-cache.js';
import type { ArchiveStore } from './audit/archive-store.js';
import type { Board } from './reports/programme/boards.js';

export type { AuthUser } from './auth/auth-user.js';
import type { AuthUser } from './auth/auth-user.js';

/** Everything the app is built from; Node and Workers each assemble their own. */
export interface AppDeps {
  db: Db;
  clock: Clock;
  config: AppConfig;
  /** Rendered calendar feeds; one per process (or Workers isolate) unless shared on purpose. */
  feedCache?: FeedCache;
  /** Checked SMS texts from templates/sms. */
  templates: TemplateLibrary;
  /** Limits concurrent password hashing; one per process (or isolate). */
  hashing?: HashingGate;
  /** Swagger UI's files for /api/docs; without them the page answers 404 (the document is still served). */
  apiDocsFiles?: ApiDocsFiles;
  /** Where audit events older than a practice's audit retention go (a directory on Node, R2 on Workers); none, they stay. */
  auditArchive?: ArchiveStore;
  /** Other health boards' databases the programme's reports also read (BOARD_DATABASES); none, only this one. */
  boards?: Board[];
}

export type AppEnv = {
  Variables: AppDeps & { user: AuthUser; hashing: HashingGate; answers: AnswerCache; throttle: ThrottleMemory; folds: ReadFolding; requestId: string };
};
