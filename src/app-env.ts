import type { AppConfig } from './config.js';
import type { Db, Role } from './db/schema.js';
import type { Clock } from './lib/clock.js';
import type { FeedCache } from './feeds/feed-cache.js';
import type { TemplateLibrary } from './sms/wording/templates.js';
import type { HashingGate } from './auth/hashing-gate.js';
import type { ThrottleMemory } from './auth/login-throttle.js';
import type { ReadFolding } from './audit/audit-service.js';
import type { BudgetStatus } from './sms/outbox/budget.js';
import type { ApiDocsFiles } from './openapi/openapi-routes.js';
import type { AnswerCache } from './answers/answer-cache.js';
import type { OperationsNotice } from './backups/operations-notice.js';

/** The signed-in person, with what every scoped query needs. */
export interface AuthUser {
  id: number;
  practiceId: number;
  timezone: string;
  role: Role;
  name: string;
  email: string;
  tokenHash: string;
  /** Creates practices and reads programme-wide, pseudonymous reports. */
  programmeAdmin: boolean;
  /** The practice this session acts in, by name. */
  practiceName: string;
  /** The practice's data version when this request signed in: what cached answers are checked against. */
  dataVersion: number;
  /** Its people's version (participants, apologies, wording), read with the sign-in too: with the above, what a register shows. */
  planVersion?: number;
  /**
   * How many practices the user may switch between: counted for the pages (the header's switcher)
   * and at login, not on every API request.
   */
  practiceCount?: number;
  /** This month's text budget, for an admin's pages (warned past 80%, told when reminders pause). */
  smsBudget?: BudgetStatus;
  /** A failed backup or a restore not yet read, for an admin's pages. */
  operations?: OperationsNotice;
}

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
}

export type AppEnv = {
  Variables: AppDeps & { user: AuthUser; hashing: HashingGate; answers: AnswerCache; throttle: ThrottleMemory; folds: ReadFolding; requestId: string };
};
