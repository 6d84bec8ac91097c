/**
 * Environment -> validated configuration. A bad value stops start-up with one clear line
 * (ConfigError) instead of a stack trace deep inside some module that read process.env.
 */
import { z } from 'zod';
import { compileTrust, type TrustProxy } from './http/client-address.ts';

const port = z.coerce.number().int().min(0).max(65535);
const nonEmpty = z.string().trim().min(1);

const Env = z.object({
  PORT: port.default(3000),
  HOST: nonEmpty.default('127.0.0.1'),
  PARLEY_DB: nonEmpty.default('./data/parley.db'),
  PARLEY_LLM: z.enum(['openai', 'offline']).optional(),
  OPENAI_API_KEY: nonEmpty.optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  PARLEY_MODEL: nonEmpty.default('gpt-4o-mini'),
  /** the model for /v1/embeddings (hybrid KB search); used only when the server offers the route */
  PARLEY_EMBEDDING_MODEL: nonEmpty.default('text-embedding-3-small'),
  PARLEY_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  PARLEY_ADMIN_EMAIL: z.email().optional(),
  PARLEY_ADMIN_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  PARLEY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** 'off' for benchmarks and load tests from one address; never in production */
  PARLEY_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  /**
   * behind reverse proxies: how many hops ('true' = 1) or which proxy addresses/CIDRs (comma
   * separated, or loopback / linklocal / uniquelocal) to trust for the client address
   */
  PARLEY_TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      if (v === 'false' || v === '0') return false;
      if (v === 'true') return 1;
      if (/^\d{1,2}$/.test(v)) return Number(v);
      const list = v.split(',').map((s) => s.trim()).filter(Boolean);
      try {
        compileTrust(list);
        return list;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'a hop count (e.g. 1), true/false, or proxy addresses/CIDRs separated by commas' });
        return z.NEVER;
      }
    }),
  /** full: SQLite synchronous=FULL, durable across power loss (group commit keeps it cheap) */
  PARLEY_DB_SYNC: z.enum(['normal', 'full']).default('normal'),
  /** how often idle conversations are looked for and ended (each site sets its own timeout) */
  PARLEY_IDLE_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
  /** a new demo site gets a few weeks of past conversations for the insights overview */
  PARLEY_DEMO_HISTORY: z.enum(['true', 'false', '1', '0']).default('true'),
  /** after an API token rotation the old token keeps working this many hours */
  PARLEY_TOKEN_GRACE_HOURS: z.coerce.number().min(0).max(720).default(24),
  /** let feed URLs point at private/loopback addresses (off: only public http(s) hosts) */
  PARLEY_FEEDS_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0']).default('false'),
  /** outgoing e-mail: smtp://user:pass@host:port (or smtps:// for TLS from the start) */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must look like smtp://user:pass@host:port or smtps://...' }).optional(),
  /** the From of every e-mail, e.g. "Acme Support <support@acme.test>" */
  PARLEY_MAIL_FROM: z.string().trim().min(3).max(320).regex(/@[^@\s>]+>?$/, 'must be an address like "Support <help@example.com>"').optional(),
  PARLEY_WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0']).default('false'),
  /**
   * scale-out (issue 13): postgres://user:pass@host:5432/db (or postgresql://) stores everything in
   * PostgreSQL instead of the SQLite file PARLEY_DB, so several Parley instances can share it.
   * Absent: SQLite, one process, as before.
   */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must look like postgres://user:password@host:5432/database' }).optional(),
  /**
   * redis://[user:pass@]host:6379[/db] (or rediss:// for TLS): live fan-out between instances
   * (socket.io redis-streams adapter) and shared rate limits/cache invalidation. Without it a
   * cluster on DATABASE_URL fans out through PostgreSQL (fine for a few instances).
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must look like redis://host:6379 or rediss://user:password@host:6380/0' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  llm:
    | { provider: 'offline' }
    | { provider: 'openai'; apiKey?: string; baseURL?: string; model: string; embeddingModel: string; timeoutMs: number };
  admin: { email: string; password: string } | null;
  /** the URL host pages use to reach this server; null = derived from host and port */
  publicUrl: string | null;
  /** per-IP and per-visitor limits on connections and messages */
  rateLimits: boolean;
  /** proxies in front of us whose X-Forwarded-For is believed (see http/client-address.ts) */
  trustProxy: TrustProxy;
  /** SQLite synchronous mode: 'normal' survives a process crash, 'full' a power loss too */
  dbSync: 'normal' | 'full';
  /** seed the demo site's past conversations (only on an empty database) */
  demoHistory: boolean;
  /** the idle sweeper's period (default 60 s) */
  idleSweepMs?: number;
  logLevel: string;
  /** feedback ingest (issue 9); defaults when absent: 24 h token grace, no private feed URLs */
  ingest?: { tokenGraceMs: number; allowPrivateFeedUrls: boolean };
  /** SMTP for outgoing e-mail; null = not set up (sends then fail visibly in the e-mail log) */
  mail: { url: string; from: string } | null;
  /** webhook endpoints may be on private, loopback or link-local addresses (an intranet receiver) */
  webhooksAllowPrivate?: boolean;
  /** DATABASE_URL: PostgreSQL connection string; null = SQLite at dbPath (one process) */
  databaseUrl: string | null;
  /** REDIS_URL: shared live fan-out and limits between instances; null = none */
  redisUrl: string | null;
}

/** variables whose value may carry a password: never echoed in an error */
const SECRET_URLS: ReadonlySet<string> = new Set(['SMTP_URL', 'DATABASE_URL', 'REDIS_URL']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Read the environment; throws ConfigError with a one-line message naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // an empty variable (FOO=) means "not set", as shells and .env files usually intend
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = first?.path.join('.') ?? 'environment';
    const value = typeof first?.path[0] === 'string' ? cleaned[first.path[0]] : undefined;
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(name.includes('PASSWORD') || name.includes('KEY') || SECRET_URLS.has(name) ? '***' : value)})`;
    throw new ConfigError(`Invalid ${name}${shown}: ${first?.message ?? 'invalid value'}`);
  }
  const e = parsed.data;
  const provider = e.PARLEY_LLM ?? (e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? 'openai' : 'offline');
  if (Boolean(e.PARLEY_ADMIN_EMAIL) !== Boolean(e.PARLEY_ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid PARLEY_ADMIN_EMAIL/PARLEY_ADMIN_PASSWORD: set both or neither');
  }
  if (provider === 'openai' && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    throw new ConfigError('Invalid PARLEY_LLM (got "openai"): set OPENAI_API_KEY or OPENAI_BASE_URL, or use PARLEY_LLM=offline');
  }
  if (e.SMTP_URL && !e.PARLEY_MAIL_FROM) {
    throw new ConfigError('Invalid PARLEY_MAIL_FROM: set it with SMTP_URL (the From of every e-mail, e.g. "Support <help@example.com>")');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dbPath: e.PARLEY_DB,
    llm:
      provider === 'offline'
        ? { provider }
        : {
            provider,
            ...(e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY } : {}),
            ...(e.OPENAI_BASE_URL ? { baseURL: e.OPENAI_BASE_URL } : {}),
            model: e.PARLEY_MODEL,
            embeddingModel: e.PARLEY_EMBEDDING_MODEL,
            timeoutMs: e.PARLEY_LLM_TIMEOUT_MS,
          },
    admin: e.PARLEY_ADMIN_EMAIL && e.PARLEY_ADMIN_PASSWORD ? { email: e.PARLEY_ADMIN_EMAIL, password: e.PARLEY_ADMIN_PASSWORD } : null,
    publicUrl: e.PARLEY_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    rateLimits: e.PARLEY_RATE_LIMITS === 'on',
    trustProxy: e.PARLEY_TRUST_PROXY,
    dbSync: e.PARLEY_DB_SYNC,
    demoHistory: e.PARLEY_DEMO_HISTORY === 'true' || e.PARLEY_DEMO_HISTORY === '1',
    idleSweepMs: e.PARLEY_IDLE_SWEEP_MS,
    logLevel: e.LOG_LEVEL,
    ingest: {
      tokenGraceMs: Math.round(e.PARLEY_TOKEN_GRACE_HOURS * 3_600_000),
      allowPrivateFeedUrls: e.PARLEY_FEEDS_ALLOW_PRIVATE === 'true' || e.PARLEY_FEEDS_ALLOW_PRIVATE === '1',
    },
    mail: e.SMTP_URL && e.PARLEY_MAIL_FROM ? { url: e.SMTP_URL, from: e.PARLEY_MAIL_FROM } : null,
    webhooksAllowPrivate: e.PARLEY_WEBHOOKS_ALLOW_PRIVATE === 'true' || e.PARLEY_WEBHOOKS_ALLOW_PRIVATE === '1',
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
  };
}
