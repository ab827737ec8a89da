// Reads and validates every environment variable the hub uses, once, at boot.
// A bad value stops start-up with the variable's name, what is wrong, and an example of a right value.
import path from 'node:path';
import { z } from 'zod';
import { parseAllowedNetworks } from './outbound/address-policy.ts';
import { keyringFromEnv } from './vault/keyring.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Each entry: the schema, an example shown when the value is wrong, and a one-line description.
// The README's configuration table is checked against this list by a test, so the two cannot drift.
export const ENVIRONMENT = {
  SWITCHBOARD_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    example: '0.0.0.0',
    description: 'Address the HTTP server binds to.',
  },
  SWITCHBOARD_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).default(3000),
    example: '3000',
    description: 'HTTP port (0 picks a free one).',
  },
  SWITCHBOARD_DATA_DIR: {
    schema: z.string().min(1).default('./.switchboard'),
    example: '/var/lib/switchboard',
    description: 'Folder for the embedded database (PGlite) and its lock; unused when DATABASE_URL is set.',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    example: 'postgres://switchboard@127.0.0.1:5432/switchboard',
    description: 'PostgreSQL connection string. When unset the hub runs on the embedded PGlite.',
  },
  DATABASE_POOL_SIZE: {
    schema: z.coerce.number().int().min(2).max(200).default(10),
    example: '20',
    description: 'Connections per process to PostgreSQL (the job engine opens its own pool of the same size).',
  },
  REDIS_URL: {
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    example: 'redis://127.0.0.1:6379',
    description: 'Optional. Shares rate-limit counters and short caches across nodes; without it they live in process memory.',
  },
  SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: {
    schema: z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        const parsed = parseAllowedNetworks(value);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
      }),
    example: '10.20.0.0/16,fd00:1::/64',
    description:
      'CIDR ranges outbound calls may reach although they are private, loopback or link-local (for example an n8n on the same network). Empty: none (the SSRF guard refuses them all).',
  },
  SWITCHBOARD_PUBLIC_URL: {
    schema: z.url().optional(),
    example: 'https://hub.example.com',
    description: 'Address users reach the hub at (links, secure cookies). Defaults to http://HOST:PORT.',
  },
  SWITCHBOARD_MASTER_KEY: {
    schema: z
      .string()
      .min(1)
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        try {
          keyringFromEnv(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    example: 'k2:<output of openssl rand -base64 32>,k1:<the previous key>',
    description:
      'Master key(s) that wrap the credential vault\'s data keys: `openssl rand -base64 32`, or `id:key` entries, active first. ' +
      'Required with DATABASE_URL; unset on the embedded database, one is generated into the data folder.',
  },
  SWITCHBOARD_BOOTSTRAP_API_KEY: {
    schema: z
      .string()
      .regex(/^sb_[A-Za-z0-9_-]{24,}$/, 'must look like sb_ followed by at least 24 letters, digits, _ or -')
      .optional(),
    example: 'sb_local_development_key_0123456789',
    description: 'Ensures the default workspace has an owner API key with exactly this value (automation, tests).',
  },
  SWITCHBOARD_ADMIN_EMAIL: {
    schema: z.email().default('admin@switchboard.local'),
    example: 'ops@example.com',
    description: 'Email of the owner account created on first start.',
  },
  SWITCHBOARD_ADMIN_PASSWORD: {
    schema: z.string().min(12, 'must be at least 12 characters').optional(),
    example: 'correct-horse-battery',
    description: 'Password for that owner on first start. When unset one is generated and printed once.',
  },
  SWITCHBOARD_LOG_LEVEL: {
    schema: z.enum(LOG_LEVELS).default('info'),
    example: 'debug',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
  },
  SWITCHBOARD_API_RATE_LIMIT: {
    schema: z.coerce.number().int().min(1).default(1200),
    example: '600',
    description: 'Requests per minute allowed per API key or dashboard session (429 with Retry-After beyond it).',
  },
  SWITCHBOARD_BODY_LIMIT: {
    schema: z.coerce.number().int().min(1024).default(1_048_576),
    example: '5242880',
    description: 'Largest accepted request body in bytes.',
  },
  SWITCHBOARD_CORS_ORIGINS: {
    schema: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
    example: 'https://app.example.com,https://admin.example.com',
    description: 'Comma-separated origins allowed to call the API from a browser. Empty (default): CORS off.',
  },
  SWITCHBOARD_SESSION_TTL_HOURS: {
    schema: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
    example: '12',
    description: 'How long a dashboard sign-in lasts.',
  },
  SWITCHBOARD_SHUTDOWN_TIMEOUT_SECONDS: {
    schema: z.coerce.number().int().min(1).max(3600).default(30),
    example: '60',
    description: 'On SIGTERM, how long in-flight jobs may run before they are released for another worker.',
  },
  SWITCHBOARD_WORKER_CONCURRENCY: {
    schema: z.coerce.number().int().min(1).max(256).default(4),
    example: '8',
    description: 'Default number of jobs of one type a worker process runs at once (a job type may set its own).',
  },
  SWITCHBOARD_OAUTH_REFRESH_WINDOW_MINUTES: {
    schema: z.coerce.number().int().min(1).max(1440).default(15),
    example: '30',
    description: 'OAuth access tokens expiring within this many minutes are refreshed ahead of time by the refresh job (every minute).',
  },
  SWITCHBOARD_OAUTH_TOKEN_TIMEOUT_SECONDS: {
    schema: z.coerce.number().int().min(1).max(120).default(15),
    example: '30',
    description: "How long a call to a provider's OAuth token or revocation endpoint may take; a timeout keeps the current token and retries later.",
  },
  SWITCHBOARD_WEBHOOK_ATTEMPT_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(30),
    example: '14',
    description: 'Days the log of each webhook delivery attempt (status, latency, response excerpt) is kept.',
  },
  SWITCHBOARD_EVENT_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(90),
    example: '30',
    description: 'Days events, their deliveries and received provider webhooks are kept.',
  },
  SWITCHBOARD_WEBHOOK_DISABLE_AFTER_DAYS: {
    schema: z.coerce.number().positive().max(365).default(5),
    example: '2',
    description: 'A webhook endpoint whose deliveries have all failed for this long is disabled (with an endpoint.disabled event).',
  },
  SWITCHBOARD_WEBHOOK_ENDPOINT_CONCURRENCY: {
    schema: z.coerce.number().int().min(1).max(1000).default(10),
    example: '4',
    description: 'Deliveries to one webhook endpoint a worker process has in flight at once; more wait in the queue.',
  },
  SWITCHBOARD_SYNC_RETRIES: {
    schema: z.coerce.number().int().min(0).max(20).default(5),
    example: '3',
    description: 'Retries of a sync run after a retryable failure (network, timeout, 5xx, 429); after the last one the run is dead-lettered.',
  },
  SWITCHBOARD_SYNC_RETRY_BASE_SECONDS: {
    schema: z.coerce.number().positive().max(86_400).default(60),
    example: '30',
    description: 'Wait before the first retry of a sync run; each later one doubles it (1, 2, 4, 8, 16 minutes by default), jittered by ±10 %.',
  },
  SWITCHBOARD_SYNC_HISTORY_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(90),
    example: '30',
    description: 'Days the change history of synced records (added / updated / deleted) and finished sync runs are kept.',
  },
  SWITCHBOARD_AI_BREAKER_FAILURES: {
    schema: z.coerce.number().int().min(1).max(1000).default(5),
    example: '3',
    description: 'Consecutive provider-side failures (5xx, timeout, broken answer) after which the AI router skips a provider model until a probe succeeds.',
  },
  SWITCHBOARD_AI_BREAKER_COOLDOWN_SECONDS: {
    schema: z.coerce.number().positive().max(86_400).default(30),
    example: '60',
    description: 'How long an opened AI breaker skips its provider model before one call probes it (decimals allowed).',
  },
  SWITCHBOARD_AI_BALANCE_COOLDOWN_MINUTES: {
    schema: z.coerce.number().positive().max(10_080).default(60),
    example: '240',
    description: 'How long the AI router skips an integration whose provider said its balance or quota is used up (GLM 1113, 402, insufficient_quota).',
  },
  SWITCHBOARD_AI_USAGE_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(90),
    example: '30',
    description: 'Days each AI usage ledger row is kept; daily totals are kept for good.',
  },
  SWITCHBOARD_CHROMIUM_PATH: {
    schema: z.string().min(1).default('/usr/bin/chromium'),
    example: '/usr/bin/chromium',
    description: "Chromium executable for the scrapers' browser engine (and nothing else); scrapes with engine browser fail clearly when it is missing.",
  },
  SWITCHBOARD_SCRAPE_USER_AGENT: {
    schema: z.string().trim().min(1).max(300).default('SwitchboardBot/0.1 (+self-hosted Switchboard hub)'),
    example: 'SwitchboardBot/0.1 (+https://example.com/bot)',
    description: 'User-Agent of scrapes that set none; robots.txt groups are matched on its first word (SwitchboardBot).',
  },
  SWITCHBOARD_SCRAPE_CONCURRENCY: {
    schema: z.coerce.number().int().min(2).max(256).default(16),
    example: '32',
    description: 'Pages a worker process works on at once, over all scrapes (per-scrape and per-host limits apply on top).',
  },
  SWITCHBOARD_SCRAPE_MAX_CRAWL_DELAY_SECONDS: {
    schema: z.coerce.number().min(0).max(3600).default(30),
    example: '10',
    description: "Cap on a robots.txt Crawl-delay (a site asking for more is crawled at this pace; the capped value is shown in the scrape).",
  },
  SWITCHBOARD_SCRAPE_VECTORS: {
    schema: z.enum(['auto', 'pgvector', 'portable']).default('auto'),
    example: 'portable',
    description: 'Where chunk vectors live: pgvector when the database has it (auto), required (pgvector), or a portable real[] column (portable).',
  },
  SWITCHBOARD_BROWSER_PAGES_PER_BROWSER: {
    schema: z.coerce.number().int().min(1).max(10000).default(50),
    example: '100',
    description: 'The browser engine replaces its Chromium after this many pages.',
  },
  SWITCHBOARD_BROWSER_PAGE_MEMORY_MB: {
    schema: z.coerce.number().int().min(16).max(8192).default(256),
    example: '512',
    description: 'A page whose JavaScript heap exceeds this is killed and its Chromium replaced.',
  },
  SWITCHBOARD_BROWSER_MAX_OPEN_PAGES: {
    schema: z.coerce.number().int().min(1).max(64).default(2),
    example: '4',
    description: 'Pages the browser engine renders at once in one worker process.',
  },
} as const;

type Environment = typeof ENVIRONMENT;
const SECRET_VARIABLES = new Set(['SWITCHBOARD_MASTER_KEY', 'SWITCHBOARD_BOOTSTRAP_API_KEY', 'SWITCHBOARD_ADMIN_PASSWORD', 'DATABASE_URL', 'REDIS_URL']);
export type ConfigValues = { [K in keyof Environment]: z.output<Environment[K]['schema']> };

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  allowPrivateNetworks: string;
  publicUrl: string | undefined;
  bootstrapApiKey: string | undefined;
  masterKey: string | undefined;
  adminEmail: string;
  adminPassword: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  apiRateLimitPerMinute: number;
  bodyLimit: number;
  corsOrigins: string[];
  sessionTtlHours: number;
  shutdownTimeoutSeconds: number;
  workerConcurrency: number;
  oauthRefreshWindowMinutes: number;
  oauthTokenTimeoutSeconds: number;
  webhookAttemptRetentionDays: number;
  eventRetentionDays: number;
  webhookDisableAfterDays: number;
  webhookEndpointConcurrency: number;
  syncRetries: number;
  syncRetryBaseSeconds: number;
  syncHistoryRetentionDays: number;
  aiBreakerFailures: number;
  aiBreakerCooldownSeconds: number;
  aiBalanceCooldownMinutes: number;
  aiUsageRetentionDays: number;
  chromiumPath: string;
  scrapeUserAgent: string;
  scrapeConcurrency: number;
  scrapeMaxCrawlDelaySeconds: number;
  scrapeVectors: 'auto' | 'pgvector' | 'portable';
  browserPagesPerBrowser: number;
  browserPageMemoryMb: number;
  browserMaxOpenPages: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(ENVIRONMENT)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = (entry.schema as z.ZodType).safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
      // Never echo a secret back: the master key's value stays out of the message.
      const shown = SECRET_VARIABLES.has(name) ? '(value hidden)' : JSON.stringify(raw);
      problems.push(`${name}=${shown} is invalid: ${reason}. Example: ${name}=${entry.example}`);
    }
  }
  if (values.DATABASE_URL && !values.SWITCHBOARD_MASTER_KEY && problems.length === 0) {
    // Each host would otherwise generate a key of its own and fail to open the others' data keys.
    problems.push(
      'SWITCHBOARD_MASTER_KEY is required with DATABASE_URL: every process must share the key that protects credentials. ' +
        `Generate one with \`openssl rand -base64 32\`. Example: SWITCHBOARD_MASTER_KEY=${ENVIRONMENT.SWITCHBOARD_MASTER_KEY.example}`,
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(`Configuration error:\n  ${problems.join('\n  ')}`);
  }
  const v = values as ConfigValues;
  return {
    host: v.SWITCHBOARD_HOST,
    port: v.SWITCHBOARD_PORT,
    dataDir: path.resolve(v.SWITCHBOARD_DATA_DIR),
    databaseUrl: v.DATABASE_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    redisUrl: v.REDIS_URL,
    allowPrivateNetworks: v.SWITCHBOARD_ALLOW_PRIVATE_NETWORKS,
    publicUrl: v.SWITCHBOARD_PUBLIC_URL,
    bootstrapApiKey: v.SWITCHBOARD_BOOTSTRAP_API_KEY,
    masterKey: v.SWITCHBOARD_MASTER_KEY,
    adminEmail: v.SWITCHBOARD_ADMIN_EMAIL,
    adminPassword: v.SWITCHBOARD_ADMIN_PASSWORD,
    logLevel: v.SWITCHBOARD_LOG_LEVEL,
    apiRateLimitPerMinute: v.SWITCHBOARD_API_RATE_LIMIT,
    bodyLimit: v.SWITCHBOARD_BODY_LIMIT,
    corsOrigins: v.SWITCHBOARD_CORS_ORIGINS,
    sessionTtlHours: v.SWITCHBOARD_SESSION_TTL_HOURS,
    shutdownTimeoutSeconds: v.SWITCHBOARD_SHUTDOWN_TIMEOUT_SECONDS,
    workerConcurrency: v.SWITCHBOARD_WORKER_CONCURRENCY,
    oauthRefreshWindowMinutes: v.SWITCHBOARD_OAUTH_REFRESH_WINDOW_MINUTES,
    oauthTokenTimeoutSeconds: v.SWITCHBOARD_OAUTH_TOKEN_TIMEOUT_SECONDS,
    webhookAttemptRetentionDays: v.SWITCHBOARD_WEBHOOK_ATTEMPT_RETENTION_DAYS,
    eventRetentionDays: v.SWITCHBOARD_EVENT_RETENTION_DAYS,
    webhookDisableAfterDays: v.SWITCHBOARD_WEBHOOK_DISABLE_AFTER_DAYS,
    webhookEndpointConcurrency: v.SWITCHBOARD_WEBHOOK_ENDPOINT_CONCURRENCY,
    syncRetries: v.SWITCHBOARD_SYNC_RETRIES,
    syncRetryBaseSeconds: v.SWITCHBOARD_SYNC_RETRY_BASE_SECONDS,
    syncHistoryRetentionDays: v.SWITCHBOARD_SYNC_HISTORY_RETENTION_DAYS,
    aiBreakerFailures: v.SWITCHBOARD_AI_BREAKER_FAILURES,
    aiBreakerCooldownSeconds: v.SWITCHBOARD_AI_BREAKER_COOLDOWN_SECONDS,
    aiBalanceCooldownMinutes: v.SWITCHBOARD_AI_BALANCE_COOLDOWN_MINUTES,
    aiUsageRetentionDays: v.SWITCHBOARD_AI_USAGE_RETENTION_DAYS,
    chromiumPath: v.SWITCHBOARD_CHROMIUM_PATH,
    scrapeUserAgent: v.SWITCHBOARD_SCRAPE_USER_AGENT,
    scrapeConcurrency: v.SWITCHBOARD_SCRAPE_CONCURRENCY,
    scrapeMaxCrawlDelaySeconds: v.SWITCHBOARD_SCRAPE_MAX_CRAWL_DELAY_SECONDS,
    scrapeVectors: v.SWITCHBOARD_SCRAPE_VECTORS,
    browserPagesPerBrowser: v.SWITCHBOARD_BROWSER_PAGES_PER_BROWSER,
    browserPageMemoryMb: v.SWITCHBOARD_BROWSER_PAGE_MEMORY_MB,
    browserMaxOpenPages: v.SWITCHBOARD_BROWSER_MAX_OPEN_PAGES,
  };
}

/** The address users reach the hub at, without a trailing slash. */
export function publicUrl(config: Config, boundPort = config.port): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host}:${boundPort}`;
}
