import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig, type Config } from '../src/core/config.js';
import type { Db } from '../src/core/db/kysely.js';
import type { EventBus } from '../src/core/events/bus.js';
import { startServer, type RunningServer } from '../src/server.js';
import type { Clock } from '../src/core/clock.js';
import pino from 'pino';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is (for malformed JSON tests); implies content-type application/json unless headers say otherwise. */
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
}

export interface TestServer {
  url: string;
  db: Db;
  databaseUrl: string;
  config: Readonly<Config>;
  /** The server's event bus: a test may subscribe to see what a request publishes, and in which transaction. */
  bus: EventBus;
  /** /metrics on its own port (CONFAB_METRICS_PORT), when the test asked for one. */
  metricsUrl: string | undefined;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

/**
 * Creates a database on the run's PostgreSQL and returns its URL: a copy of the run's migrated
 * template (test/global-setup.ts), so a server starts on it without applying every migration
 * again — or, with `empty`, a database with nothing in it.
 */
export async function createTestDatabase(
  options: { empty?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `confab_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(
    options.empty ? `create database ${name}` : `create database ${name} template ${inject('templateDatabase')}`,
  );
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** JSON requests to a server at `baseUrl` (a test server or a `confab start` process). */
export function requestTo(baseUrl: string) {
  return async (method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.api_access_token = options.token;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value));
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : text;
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

/**
 * Starts the real server on a random port against a fresh database, or against `database` (kept
 * when the server closes: a later server may start on it, as after a restart).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  existing?: { url: string },
  options: { clock?: Clock } = {},
): Promise<TestServer> {
  const database = existing ? { url: existing.url, drop: async () => undefined } : await createTestDatabase();
  // attachments go to a scratch directory per server, never into the checkout
  const dataDir = path.join(os.tmpdir(), `confab-data-${randomBytes(6).toString('hex')}`);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CONFAB_DATA_DIR: dataDir,
    // tests sign in far more often than Chatwoot's login throttles allow one IP; auth-throttles.test.ts turns them on
    CONFAB_AUTH_RATE_LIMITS: 'false',
    // the CI run on real services fans realtime out through Redis
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    // CONFAB_FAST_PATHS=false npm test: the whole suite with every message on the transactional path
    ...(process.env.CONFAB_FAST_PATHS ? { CONFAB_FAST_PATHS: process.env.CONFAB_FAST_PATHS } : {}),
    ...env,
    DATABASE_URL: database.url,
  });
  let server: RunningServer;
  try {
    // TEST_LOG=warn (or any pino level) shows the servers' logs on stderr, e.g. the error behind a 500
    server = await startServer(config, {
      logger: pino({ level: process.env.TEST_LOG ?? 'silent' }, pino.destination(2)),
      enforceResponseSchemas: true,
      clock: options.clock,
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const request = requestTo(server.url);
  return {
    url: server.url,
    db: server.database.db,
    databaseUrl: database.url,
    bus: server.bus,
    metricsUrl: server.metricsUrl,
    config,
    request,
    async close() {
      await server.close();
      await database.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * beforeAll/afterAll pair: one server per test file. Access it after beforeAll has run. `clock`:
 * the server's wall clock (core/clock.ts settableClock), for tests of time-based behaviour.
 */
export function useTestServer(
  env: Record<string, string> | (() => Record<string, string>) = {},
  options: { clock?: Clock } = {},
): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    // a function: settings known only once an earlier beforeAll ran (a sink's port)
    server = await startTestServer(typeof env === 'function' ? env() : env, undefined, options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('test server not started yet');
    return server;
  };
}
