import { isIP } from 'node:net';
import path from 'node:path';

/** An S3-compatible bucket for attachments (CONFAB_S3_*). */
export interface S3Settings {
  /** e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000; objects are addressed path-style. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix inside the bucket. */
  prefix: string;
}

/**
 * Outgoing mail over SMTP, from Chatwoot's variables (config/initializers/mailer.rb). Present only
 * when SMTP_ADDRESS is set; without it mails are written to the log instead.
 */
export interface SmtpSettings {
  /** SMTP_ADDRESS. */
  host: string;
  /** SMTP_PORT (default 587, as Chatwoot). */
  port: number;
  /** SMTP_USERNAME and SMTP_PASSWORD: authenticate when a user name is set. */
  username: string | undefined;
  password: string | undefined;
  /** SMTP_AUTHENTICATION: plain, login or cram_md5 (unset: whatever the server offers). */
  authentication: 'plain' | 'login' | 'cram_md5' | undefined;
  /** SMTP_DOMAIN: the name given in HELO/EHLO. */
  domain: string | undefined;
  /** SMTP_ENABLE_STARTTLS_AUTO (default true): upgrade with STARTTLS when the server offers it. */
  enableStarttlsAuto: boolean;
  /** SMTP_OPENSSL_VERIFY_MODE: none turns certificate checks off; peer (the default) keeps them. */
  verifyPeer: boolean;
  /** SMTP_SSL or SMTP_TLS true: TLS from the first byte (SMTPS, usually port 465). */
  secure: boolean;
}

/**
 * Confab's configuration, parsed once from the environment. Names follow Chatwoot's
 * where Chatwoot has one (DATABASE_URL, REDIS_URL, FRONTEND_URL). Nothing else in
 * the codebase reads process.env.
 */
export interface Config {
  /** HTTP port (PORT, default 3000). */
  readonly port: number;
  /** HTTP bind address (HOST, default 127.0.0.1). */
  readonly host: string;
  /** External PostgreSQL; when absent Confab runs its embedded PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its cluster (CONFAB_DATA_DIR, default ./.confab). */
  readonly dataDir: string;
  /** Port for the embedded PostgreSQL (CONFAB_PG_PORT); 0 picks a free one at start. */
  readonly embeddedPgPort: number;
  /** Base URL of the dashboard, used in sign-in links (FRONTEND_URL). */
  readonly frontendUrl: string | undefined;
  /** Outgoing mail (SMTP_*); absent: each mail is written to the log at info level instead. */
  readonly smtp: SmtpSettings | undefined;
  /** The From of every mail (MAILER_SENDER_EMAIL, default "Confab <accounts@confab.localhost>"). */
  readonly mailerSender: string;
  /** Redis for cross-node fan-out (REDIS_URL); optional. */
  readonly redisUrl: string | undefined;
  /** pino level (LOG_LEVEL, default info; "silent" in tests). */
  readonly logLevel: string;
  /** Largest accepted request body in bytes (CONFAB_BODY_LIMIT, default 1 MiB). */
  readonly bodyLimit: number;
  /** Largest accepted CSV upload for contact imports (CONFAB_IMPORT_LIMIT, default 1 GiB). */
  readonly importLimit: number;
  /** S3-compatible attachment storage (CONFAB_S3_*); absent: files under dataDir/storage. */
  readonly s3: S3Settings | undefined;
  /** How long realtime events stay replayable after a reconnect (CONFAB_CABLE_REPLAY_SECONDS, default 24 h). */
  readonly cableReplaySeconds: number;
  /** Client API requests a minute per contact identifier (CONFAB_PUBLIC_RATE_LIMIT, default 600; 0 turns it off). */
  readonly publicRateLimit: number;
  /** Client API requests a minute per client IP (CONFAB_PUBLIC_RATE_LIMIT_IP, default 3000 like Chatwoot's RACK_ATTACK_LIMIT; 0 off). */
  readonly publicRateLimitIp: number;
  /**
   * Chatwoot's Rack::Attack throttles on sign-in, password reset, sign-up and resend confirmation
   * (CONFAB_AUTH_RATE_LIMITS, default on like ENABLE_RACK_ATTACK in production; false turns them off).
   */
  readonly authRateLimits: boolean;
  /** Let webhooks reach private, loopback and link-local addresses (CONFAB_WEBHOOK_ALLOW_PRIVATE=true; off by default). */
  readonly webhookAllowPrivate: boolean;
  /** Tries per webhook delivery before it is marked failed (CONFAB_WEBHOOK_MAX_ATTEMPTS, default 8). */
  readonly webhookMaxAttempts: number;
  /** First retry delay; each further one is 3× longer, ±20% jitter (CONFAB_WEBHOOK_BACKOFF_MS, default 60 s: 8 tries over ~18 h). */
  readonly webhookBackoffMs: number;
  /** How long one delivery may take (CONFAB_WEBHOOK_TIMEOUT_MS, default 10 s). */
  readonly webhookTimeoutMs: number;
  /** Webhook tries a node has in flight at once, all receivers together (CONFAB_WEBHOOK_CONCURRENCY, default 128). */
  readonly webhookConcurrency: number;
  /** Tries in flight at once to one receiver URL, so a slow one cannot take every slot (CONFAB_WEBHOOK_URL_CONCURRENCY, default 32). */
  readonly webhookUrlConcurrency: number;
  /**
   * Durable jobs this node runs at once (CONFAB_JOB_CONCURRENCY, default 4). 0 makes a node that only
   * serves: it queues jobs and leaves them to the nodes that run workers (crontab ticks included).
   */
  readonly jobConcurrency: number;
  /** How often job workers look for jobs scheduled for later (CONFAB_JOB_POLL_MS, default 1 s; new jobs are noticed at once). */
  readonly jobPollMs: number;
  /** How often a node frees the jobs a dead node had taken (CONFAB_JOB_REAP_MS, default 30 s; also at every start). */
  readonly jobReapMs: number;
  /** Days finished webhook deliveries stay in the delivery log (CONFAB_WEBHOOK_LOG_DAYS, default 7; 0 keeps them). */
  readonly webhookLogDays: number;
  /**
   * Store plain text messages in one statement when nothing else has work for them (CONFAB_FAST_PATHS,
   * default true); false sends every message through the transactional path, with the same outcome.
   */
  readonly fastPaths: boolean;
  /**
   * Reports read the rollups of migration 0100 (CONFAB_REPORT_ROLLUPS, default true); false counts
   * every report from the raw rows, with the same answers (the rollup tests compare the two).
   */
  readonly reportRollups: boolean;
  /**
   * How long a node that runs jobs waits, once the report deltas are folded, before it looks again
   * (CONFAB_REPORT_ROLLUP_FOLD_MS, default 1 s). Reports read the deltas not yet folded too, so this
   * bounds only how many they read, never what they show.
   */
  readonly reportRollupFoldMs: number;
  /**
   * Chatwoot's CW_API_ONLY_SERVER=true: the API serves a dashboard on another origin, so CORS is open on
   * every route and exposes the devise session headers (default false: only /public/api/* is open).
   */
  readonly apiOnlyServer: boolean;
  /**
   * Public sign-up, POST /api/v1/accounts (ENABLE_ACCOUNT_SIGNUP=true, or api_only; or
   * CW_API_ONLY_SERVER=true); off by default, when the route answers 404 as Chatwoot's does.
   */
  readonly accountSignup: boolean;
  /**
   * ENABLE_ACCOUNT_SIGNUP=api_only (or an API-only server): a sign-up answers with the user and
   * session headers instead of only the email.
   */
  readonly signupAnswersSession: boolean;
  /**
   * Bearer token for GET /metrics on the HTTP port (CONFAB_METRICS_TOKEN). Unset: /metrics is not
   * served there (404), so nothing about the node is public by default.
   */
  readonly metricsToken: string | undefined;
  /** A port of its own for /metrics (CONFAB_METRICS_PORT; unset: none), on CONFAB_METRICS_HOST (default 127.0.0.1). */
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  /**
   * Proxies whose X-Forwarded-For names the client (CONFAB_TRUSTED_PROXIES: addresses and CIDRs,
   * comma-separated; unset: none, the client is the socket's peer). Rate limits count by that client.
   */
  readonly trustedProxies: readonly string[];
  /**
   * How long a stopping server (SIGTERM, SIGINT) lets in-flight requests and running jobs finish
   * before it closes what is left (CONFAB_SHUTDOWN_TIMEOUT_MS, default 20 s).
   */
  readonly shutdownTimeoutMs: number;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = 65535): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolFrom(env: NodeJS.ProcessEnv, name: string, fallback = false): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** ActiveModel::Type::Boolean's cast, for Chatwoot's own variables: its false words are false, anything else true. */
const RAILS_FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']);
function railsBoolFrom(env: NodeJS.ProcessEnv, name: string, fallback = false): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return !RAILS_FALSE.has(raw);
}

function urlFrom(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use one of ${protocols.join(', ')}`);
  }
  return raw;
}

const SMTP_AUTHENTICATIONS = ['plain', 'login', 'cram_md5'] as const;
const SMTP_VERIFY_MODES = ['none', 'peer', 'client_once', 'fail_if_no_peer_cert'];

/** SMTP_ADDRESS turns SMTP delivery on; the rest refine it as in Chatwoot's mailer initializer. */
function smtpFrom(env: NodeJS.ProcessEnv): SmtpSettings | undefined {
  const host = env.SMTP_ADDRESS?.trim();
  if (!host) return undefined;
  const authentication = env.SMTP_AUTHENTICATION?.trim().toLowerCase() || undefined;
  if (authentication && !(SMTP_AUTHENTICATIONS as readonly string[]).includes(authentication)) {
    throw new ConfigError(`SMTP_AUTHENTICATION must be one of ${SMTP_AUTHENTICATIONS.join(', ')}`);
  }
  const verifyMode = env.SMTP_OPENSSL_VERIFY_MODE?.trim().toLowerCase() || 'peer';
  if (!SMTP_VERIFY_MODES.includes(verifyMode)) {
    throw new ConfigError(`SMTP_OPENSSL_VERIFY_MODE must be one of ${SMTP_VERIFY_MODES.join(', ')}`);
  }
  return {
    host,
    port: intFrom(env, 'SMTP_PORT', 587, 1, 65535),
    username: env.SMTP_USERNAME || undefined,
    password: env.SMTP_PASSWORD || undefined,
    authentication: authentication as SmtpSettings['authentication'],
    domain: env.SMTP_DOMAIN?.trim() || undefined,
    enableStarttlsAuto: railsBoolFrom(env, 'SMTP_ENABLE_STARTTLS_AUTO', true),
    verifyPeer: verifyMode !== 'none',
    secure: railsBoolFrom(env, 'SMTP_SSL', false) || railsBoolFrom(env, 'SMTP_TLS', false),
  };
}

/** CONFAB_S3_BUCKET turns S3 storage on; endpoint and keys are then required. */
function s3From(env: NodeJS.ProcessEnv): S3Settings | undefined {
  const bucket = env.CONFAB_S3_BUCKET;
  if (!bucket) return undefined;
  const endpoint = urlFrom(env, 'CONFAB_S3_ENDPOINT', ['http:', 'https:']);
  const accessKeyId = env.CONFAB_S3_ACCESS_KEY_ID;
  const secretAccessKey = env.CONFAB_S3_SECRET_ACCESS_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      'CONFAB_S3_BUCKET needs CONFAB_S3_ENDPOINT, CONFAB_S3_ACCESS_KEY_ID and CONFAB_S3_SECRET_ACCESS_KEY',
    );
  }
  return {
    endpoint,
    bucket,
    accessKeyId,
    secretAccessKey,
    region: env.CONFAB_S3_REGION || 'us-east-1',
    prefix: env.CONFAB_S3_PREFIX ?? '',
  };
}

/** ENABLE_ACCOUNT_SIGNUP: true, false or api_only (Chatwoot's legacy sentinel for API-only sign-up). */
function signupFrom(env: NodeJS.ProcessEnv): { accountSignup: boolean; signupAnswersSession: boolean } {
  const raw = env.ENABLE_ACCOUNT_SIGNUP;
  const apiOnly = railsBoolFrom(env, 'CW_API_ONLY_SERVER');
  if (raw === 'api_only') return { accountSignup: true, signupAnswersSession: true };
  return { accountSignup: boolFrom(env, 'ENABLE_ACCOUNT_SIGNUP') || apiOnly, signupAnswersSession: apiOnly };
}

/** CONFAB_TRUSTED_PROXIES: IPv4/IPv6 addresses or CIDR ranges, comma-separated. */
function proxiesFrom(env: NodeJS.ProcessEnv): string[] {
  const entries = (env.CONFAB_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !bitsOk || extra !== undefined)
      throw new ConfigError(`CONFAB_TRUSTED_PROXIES must list IP addresses or CIDR ranges, got "${entry}"`);
  }
  return entries;
}

/** Reads and validates the environment; throws ConfigError with a readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const port = intFrom(env, 'PORT', 3000);
  const config: Config = {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl: urlFrom(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.CONFAB_DATA_DIR || '.confab'),
    embeddedPgPort: intFrom(env, 'CONFAB_PG_PORT', 0),
    frontendUrl: urlFrom(env, 'FRONTEND_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    smtp: smtpFrom(env),
    mailerSender: env.MAILER_SENDER_EMAIL?.trim() || 'Confab <accounts@confab.localhost>',
    redisUrl: urlFrom(env, 'REDIS_URL', ['redis:', 'rediss:']),
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimit: intFrom(env, 'CONFAB_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    importLimit: intFrom(env, 'CONFAB_IMPORT_LIMIT', 1024 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    s3: s3From(env),
    cableReplaySeconds: intFrom(env, 'CONFAB_CABLE_REPLAY_SECONDS', 86_400, 0, 30 * 86_400),
    publicRateLimit: intFrom(env, 'CONFAB_PUBLIC_RATE_LIMIT', 600, 0, 10_000_000),
    publicRateLimitIp: intFrom(env, 'CONFAB_PUBLIC_RATE_LIMIT_IP', 3000, 0, 10_000_000),
    authRateLimits: boolFrom(env, 'CONFAB_AUTH_RATE_LIMITS', true),
    webhookAllowPrivate: boolFrom(env, 'CONFAB_WEBHOOK_ALLOW_PRIVATE'),
    webhookMaxAttempts: intFrom(env, 'CONFAB_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
    webhookBackoffMs: intFrom(env, 'CONFAB_WEBHOOK_BACKOFF_MS', 60_000, 1, 86_400_000),
    webhookTimeoutMs: intFrom(env, 'CONFAB_WEBHOOK_TIMEOUT_MS', 10_000, 1, 120_000),
    webhookConcurrency: intFrom(env, 'CONFAB_WEBHOOK_CONCURRENCY', 128, 1, 4096),
    webhookUrlConcurrency: intFrom(env, 'CONFAB_WEBHOOK_URL_CONCURRENCY', 32, 1, 1024),
    jobConcurrency: intFrom(env, 'CONFAB_JOB_CONCURRENCY', 4, 0, 64),
    jobPollMs: intFrom(env, 'CONFAB_JOB_POLL_MS', 1000, 10, 60_000),
    jobReapMs: intFrom(env, 'CONFAB_JOB_REAP_MS', 30_000, 100, 3_600_000),
    webhookLogDays: intFrom(env, 'CONFAB_WEBHOOK_LOG_DAYS', 7, 0, 3650),
    fastPaths: boolFrom(env, 'CONFAB_FAST_PATHS', true),
    reportRollups: boolFrom(env, 'CONFAB_REPORT_ROLLUPS', true),
    reportRollupFoldMs: intFrom(env, 'CONFAB_REPORT_ROLLUP_FOLD_MS', 1000, 10, 3_600_000),
    apiOnlyServer: railsBoolFrom(env, 'CW_API_ONLY_SERVER'),
    ...signupFrom(env),
    metricsToken: env.CONFAB_METRICS_TOKEN || undefined,
    metricsPort: env.CONFAB_METRICS_PORT ? intFrom(env, 'CONFAB_METRICS_PORT', 0) : undefined,
    metricsHost: env.CONFAB_METRICS_HOST || '127.0.0.1',
    trustedProxies: Object.freeze(proxiesFrom(env)),
    shutdownTimeoutMs: intFrom(env, 'CONFAB_SHUTDOWN_TIMEOUT_MS', 20_000, 0, 600_000),
  };
  return Object.freeze(config);
}
