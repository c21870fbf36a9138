import { DEFAULT_SMS_PRICE } from './lib/money.js';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** `BOARD_DATABASES`: `Name=where` pairs separated by commas (a D1 binding on Workers, a SQLite file on Node). */
const BOARD_LIST = /^\s*[^=,]+=[^=,]+(,\s*[^=,]+=[^=,]+)*\s*$/;

/** The boards BOARD_DATABASES names, each once and none named as this deployment's own (BOARD_NAME). */
export function boardList(raw: { BOARD_DATABASES?: string; BOARD_NAME?: string }): { name: string; where: string }[] {
  if (!raw.BOARD_DATABASES) return [];
  const names = new Set([(raw.BOARD_NAME ?? '').toLowerCase()]);
  return raw.BOARD_DATABASES.split(',').map((pair) => {
    const [name, where] = pair.split('=').map((s) => s.trim()) as [string, string];
    if (names.has(name.toLowerCase())) throw new ConfigError(`BOARD_DATABASES names the board "${name}" twice (or as BOARD_NAME)`);
    names.add(name.toLowerCase());
    return { name, where };
  });
}

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('./data/app.db'),
  ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalText.pipe(z.string().min(10, 'must be at least 10 characters').optional()),
  ADMIN_NAME: optionalText,
  PRACTICE_NAME: optionalText,
  PUBLIC_BASE_URL: optionalText.pipe(z.url().optional()),
  TWILIO_ACCOUNT_SID: optionalText,
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM: optionalText,
  TWILIO_MESSAGING_SERVICE_SID: optionalText,
  TWILIO_API_BASE_URL: optionalText.pipe(z.url().optional()),
  REMINDER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** How many proxies stand in front (each appends to X-Forwarded-For); 'true' is read as 1, 'false' as 0. */
  TRUST_PROXY: optionalText.pipe(
    z
      .string()
      .regex(/^(\d{1,2}|true|false)$/, 'must be the number of proxies in front, like 1')
      .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)))
      .optional(),
  ),
  /** Staff sign-in with NHS accounts (OpenID Connect): all of issuer, client id and secret, or none. */
  OIDC_ISSUER: optionalText.pipe(z.url().optional()),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_LABEL: optionalText,
  /** Microsoft Entra tenant ids (tid) allowed to sign in, separated by commas; any other is refused. */
  OIDC_ALLOWED_TENANTS: optionalText,
  /** Requests an address may make to the public pages (what's on, Open Referral UK) a minute. */
  PUBLIC_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Node only: where npm start keeps its scheduled backups (none without it). */
  BACKUP_DIR: optionalText,
  BACKUP_INTERVAL_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(14),
  /** Node only: where audit events older than a practice's audit retention are archived (none without it: they stay). */
  AUDIT_ARCHIVE_DIR: optionalText,
  /** This deployment's health board, as the programme's reports name it beside the boards it reads. */
  BOARD_NAME: optionalText,
  /** Other boards' databases the programme's reports also read: Name=D1 binding (Workers) or Name=SQLite file (Node), by commas. */
  BOARD_DATABASES: optionalText.pipe(z.string().regex(BOARD_LIST, 'must be Name=binding (Workers) or Name=file (Node) pairs separated by commas').optional()),
  SETUP_CODE: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  SMS_SEGMENT_PRICE: z.coerce.number().min(0).max(10).default(DEFAULT_SMS_PRICE.perSegment),
  /** Workers only: D1 queries one request or cron pass may make (Workers Free allows 50, Paid 1,000). */
  D1_QUERY_BUDGET: z.coerce.number().int().min(20).max(1_000).default(50),
  SMS_PRICE_CURRENCY: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'must be a currency code like GBP or USD')
    .default(DEFAULT_SMS_PRICE.currency),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's words: "Sign in with <label>". */
  label: string;
  /** Entra tenant ids allowed; empty: any tenant the issuer signs for. */
  allowedTenants: string[];
}

/** An issuer on the loopback may be plain http (tests); any other must be https. */
export function oidcIssuerProblem(issuer: string): string | null {
  const u = new URL(issuer);
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return null;
  return `OIDC_ISSUER must be an https:// address (got "${issuer}"); only an issuer on 127.0.0.1 may be plain http`;
}

export function oidcSettingsFrom(raw: {
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  OIDC_LABEL?: string;
  OIDC_ALLOWED_TENANTS?: string;
}): OidcSettings | undefined {
  if (!raw.OIDC_ISSUER || !raw.OIDC_CLIENT_ID || !raw.OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: raw.OIDC_ISSUER,
    clientId: raw.OIDC_CLIENT_ID,
    clientSecret: raw.OIDC_CLIENT_SECRET,
    label: raw.OIDC_LABEL || 'NHS account',
    allowedTenants: (raw.OIDC_ALLOWED_TENANTS ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  };
}

/** What the app needs to know, independent of where it runs. */
export interface AppConfig {
  publicBaseUrl: string;
  /** Lower only in tests: PBKDF2 at full strength costs ~50 ms a hash. */
  passwordIterations?: number;
  /** How long a sign-in already known to be refused is held before its 429 (default 1 s; 0 in tests). */
  refusalHoldMs?: number;
  /** How far ahead sessions are materialised. */
  horizonDays: number;
  sessionTtlHours: number;
  /** Gzip cached feeds ourselves (Node). Workers compresses responses itself, so it turns this off. */
  precompressFeeds?: boolean;
  /** Gzip HTML pages here (Node); false where the platform compresses responses itself (Workers). */
  compressPages?: boolean;
  /** Verifies Twilio's webhook signatures; without it the webhooks answer 403. */
  twilioAuthToken?: string;
  /** Proxies in front, each appending to X-Forwarded-For: the client is the Nth address from the right (TRUST_PROXY=N). */
  trustProxy?: number;
  /** Requests an address may make to the public pages a minute (default 120). */
  publicPerMinute?: number;
  /** This deployment's health board, named beside the boards its programme reports also read. */
  boardName?: string;
  /** Staff sign-in with NHS accounts; absent: passwords only, as before. */
  oidc?: OidcSettings;
  /** While there are no users, /setup?code=<this> creates the first admin and practice. */
  setupCode?: string;
  /**
   * Workers: a D1 Time Travel restore leaves no mark in the database, so an admin records it (POST
   * /restores). On Node, npm run restore records it and a file put back otherwise is found at start-up.
   */
  restoresRecordedByHand?: boolean;
  /** What one SMS segment costs, for the template editor and the usage report. */
  smsPrice?: { perSegment: number; currency: string };
}

export class ConfigError extends Error {}

/** Parses the environment once; the first bad variable is named in one line. */
export function parseEnv(env: Record<string, string | undefined>): RawConfig {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    const shown = name.includes('PASSWORD') || name.includes('TOKEN') ? '' : value === undefined ? '' : ` (got "${value}")`;
    throw new ConfigError(`Configuration error: ${name} ${issue.message}${shown}`);
  }
  const cfg = result.data;
  const twilio = [cfg.TWILIO_ACCOUNT_SID, cfg.TWILIO_AUTH_TOKEN].filter(Boolean).length;
  if (twilio === 1) throw new ConfigError('Configuration error: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together');
  if (twilio === 2 && !cfg.TWILIO_FROM && !cfg.TWILIO_MESSAGING_SERVICE_SID) {
    throw new ConfigError('Configuration error: set TWILIO_FROM (a number) or TWILIO_MESSAGING_SERVICE_SID to send texts');
  }
  if (twilio === 2 && !cfg.PUBLIC_BASE_URL?.startsWith('https://')) {
    // Twilio signs the public https URL it calls; without it every webhook (STOP, C, delivery) would be refused.
    throw new ConfigError(
      `Configuration error: PUBLIC_BASE_URL must be the server's public https:// address when Twilio is configured (got "${cfg.PUBLIC_BASE_URL ?? ''}"): Twilio's webhooks are checked against it`,
    );
  }
  const oidcSet = [cfg.OIDC_ISSUER, cfg.OIDC_CLIENT_ID, cfg.OIDC_CLIENT_SECRET].filter((v) => v !== undefined).length;
  if (oidcSet !== 0 && oidcSet !== 3) throw new ConfigError('Configuration error: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together');
  const issuerProblem = cfg.OIDC_ISSUER ? oidcIssuerProblem(cfg.OIDC_ISSUER) : null;
  if (issuerProblem) throw new ConfigError(`Configuration error: ${issuerProblem}`);
  if ((cfg.ADMIN_EMAIL === undefined) !== (cfg.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Configuration error: ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  return cfg;
}

export function appConfigFrom(raw: RawConfig): AppConfig {
  return {
    publicBaseUrl: (raw.PUBLIC_BASE_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ''),
    horizonDays: 366,
    sessionTtlHours: 24 * 14,
    twilioAuthToken: raw.TWILIO_AUTH_TOKEN,
    trustProxy: raw.TRUST_PROXY ?? 0,
    publicPerMinute: raw.PUBLIC_REQUESTS_PER_MINUTE,
    boardName: raw.BOARD_NAME,
    oidc: oidcSettingsFrom(raw),
    setupCode: raw.SETUP_CODE,
    smsPrice: { perSegment: raw.SMS_SEGMENT_PRICE, currency: raw.SMS_PRICE_CURRENCY },
  };
}
