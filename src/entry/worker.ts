import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { createApp } from '../app.js';
import { appConfigFrom, boardList, ConfigError, parseEnv, type RawConfig } from '../config.js';
import type { Board } from '../reports/programme/boards.js';
import { registerD1 } from '../db/atomic.js';
import { CountQueries, QueryBudget, withQueryBudget } from '../db/query-budget.js';
import type { DB } from '../db/schema.js';
import { FeedCache } from '../feeds/feed-cache.js';
import { systemClock } from '../lib/time/clock.js';
import { bundledTemplates } from '../sms/wording/bundled-templates.js';
import { FetchTwilioTransport } from '../sms/twilio/fetch-twilio-transport.js';
import { LocalTransport } from '../sms/twilio/local-transport.js';
import { runReminders } from '../sms/outbox/run-reminders.js';
import { drainDue, type DrainMessage } from '../sms/outbox/send-queue.js';
import { twilioConfigFrom } from '../sms/twilio/twilio-config.js';
import type { SmsTransport } from '../sms/twilio/transport.js';
import { bootstrapAdmin } from '../users/users-service.js';
import { HashingGate } from '../auth/hashing-gate.js';
import { r2Archive, type ArchiveStore } from '../audit/archive-store.js';
import { WORKERS_PBKDF2_ITERATIONS } from '../lib/crypto.js';

/** The D1 binding plus vars and secrets from wrangler.toml / `wrangler secret put`. */
export interface Env {
  DB: D1Database;
  /** Optional (wrangler.toml's [[queues]]): sends the national morning peak side by side. */
  SEND_QUEUE?: Queue<DrainMessage>;
  /** Optional (wrangler.toml's [[r2_buckets]]): where audit events older than a practice's audit retention go. */
  AUDIT_ARCHIVE?: R2Bucket;
  [name: string]: unknown;
}

const templates = bundledTemplates();
// Per isolate: a warm isolate answers an unchanged feed from memory, a cold one renders once.
const feedCache = new FeedCache(50);
let bootstrapped: Promise<void> | undefined;

function rawConfig(env: Env): RawConfig {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') vars[k] = v;
  return parseEnv({ DATABASE_PATH: 'd1', ...vars });
}

function database(d1: D1Database): Kysely<DB> {
  // Every query counted against the invocation's budget, so none is refused by D1's own limit.
  const db = new Kysely<DB>({ dialect: new D1Dialect({ database: d1 }), plugins: [new CountQueries()] });
  registerD1(db, d1);
  return db;
}

/** The other boards' D1 databases BOARD_DATABASES names by their bindings, for the programme's reports. */
function boardDatabases(raw: RawConfig, env: Env): Board[] {
  return boardList(raw).map(({ name, where }) => {
    const d1 = env[where] as D1Database | undefined;
    if (where === 'DB' || typeof d1?.prepare !== 'function')
      throw new ConfigError(`BOARD_DATABASES: ${name}'s binding ${where} is not another D1 database bound in wrangler.toml`);
    return { name, db: database(d1) };
  });
}

function transport(raw: RawConfig): SmsTransport {
  const twilio = twilioConfigFrom(raw);
  return twilio ? new FetchTwilioTransport(twilio) : new LocalTransport();
}

/** One per isolate: at most one password hash at a time, whatever the request count. */
const hashing = new HashingGate();

/**
 * The config, Kysely handle and whole Hono app are built once per isolate (per env object), not
 * per request: building them cost about 3 ms of CPU before any work.
 */
const built = new WeakMap<Env, { raw: RawConfig; db: Kysely<DB>; auditArchive?: ArchiveStore; app: ReturnType<typeof createApp> }>();

function buildFor(env: Env) {
  let b = built.get(env);
  if (!b) {
    const raw = rawConfig(env);
    const db = database(env.DB);
    const config = {
      ...appConfigFrom(raw),
      precompressFeeds: false,
      compressPages: false,
      passwordIterations: WORKERS_PBKDF2_ITERATIONS,
      restoresRecordedByHand: true,
    };
    const auditArchive = env.AUDIT_ARCHIVE ? r2Archive(env.AUDIT_ARCHIVE) : undefined;
    const boards = boardDatabases(raw, env);
    b = { raw, db, auditArchive, app: createApp({ db, clock: systemClock, config, templates, feedCache, hashing, auditArchive, boards }) };
    built.set(env, b);
  }
  return b;
}

/** What sending needs, the same for the cron pass and a send-queue invocation. */
function sending(env: Env) {
  const { raw, db } = buildFor(env);
  return {
    db,
    sms: transport(raw),
    clock: systemClock,
    templates,
    statusCallbackUrl: `${appConfigFrom(raw).publicBaseUrl}/webhooks/twilio/status`,
    // Well inside an invocation's wall time, so a pass never runs into the next minute's.
    budgetMs: 25_000,
  };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let b: ReturnType<typeof buildFor>;
    try {
      b = buildFor(env);
    } catch (err) {
      if (err instanceof ConfigError) return Response.json({ error: { code: 'internal', message: err.message } }, { status: 500 });
      throw err;
    }
    const { raw, db, app } = b;
    // The request's queries, the first admin's creation included, counted against one invocation's budget.
    return withQueryBudget(new QueryBudget(raw.D1_QUERY_BUDGET), async () => {
      if (raw.ADMIN_EMAIL && raw.ADMIN_PASSWORD) {
        // The first admin of an empty D1 database, once per isolate (a no-op once users exist).
        bootstrapped ??= bootstrapAdmin(
          db,
          systemClock,
          {
            email: raw.ADMIN_EMAIL,
            password: raw.ADMIN_PASSWORD,
            name: raw.ADMIN_NAME,
            practiceName: raw.PRACTICE_NAME,
          },
          WORKERS_PBKDF2_ITERATIONS,
        ).then(
          () => undefined,
          (err) => {
            bootstrapped = undefined; // try again on the next request (e.g. migrations were applied since)
            throw err;
          },
        );
        await bootstrapped;
      }
      return app.fetch(request, env, ctx);
    });
  },

  /** The cron trigger: the same reminder pass the Node server runs on its interval. */
  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const { raw, auditArchive } = buildFor(env);
    // Sized to the budget: it claims only the texts it can finish; the rest wait for the next minute.
    const pass = withQueryBudget(new QueryBudget(raw.D1_QUERY_BUDGET), () =>
      runReminders({
        ...sending(env),
        horizonDays: appConfigFrom(raw).horizonDays,
        sendQueue: env.SEND_QUEUE && { queue: env.SEND_QUEUE, budget: raw.D1_QUERY_BUDGET },
        auditArchive,
      }),
    );
    ctx.waitUntil(pass);
    await pass;
  },

  /**
   * The send queue's consumer: a batch of wake-ups is one drain of what is due, with this
   * invocation's own query budget. Acknowledged whatever it sent: the outbox, not the queue, keeps
   * what is still to go, and the next pass or drain takes it.
   */
  async queue(batch: MessageBatch<DrainMessage>, env: Env): Promise<void> {
    await withQueryBudget(new QueryBudget(buildFor(env).raw.D1_QUERY_BUDGET), () => drainDue(sending(env), env.SEND_QUEUE));
    batch.ackAll();
  },
};
