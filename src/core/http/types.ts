import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { Db } from '../db/kysely.js';
import type { EventBus } from '../events/bus.js';
import type { Storage } from '../storage/storage.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RateLimitStore } from './rate-limit-store.js';

/** The Fastify instance every routes.ts receives: TypeBox-typed schemas, our logger. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What buildApp is given; routes take what they need from it. */
export interface AppDeps {
  db: Db;
  config: Readonly<Config>;
  /** Domain events, published after commit to realtime, webhooks and bots. */
  bus: EventBus;
  /** Attachment bytes (local disk by default). */
  storage: Storage;
  /** Reports on the data services for GET /api; false when the database does not answer. */
  checkDatabase(): Promise<boolean>;
  /** Where the Client API's rate limits count (shared by the nodes); none: this process's memory. */
  rateLimits?: RateLimitStore;
  /** Prometheus metrics, when CONFAB_METRICS_TOKEN or CONFAB_METRICS_PORT turns them on. */
  metrics?: Metrics;
  /** The server's wall clock (tests set it); none means the system's. */
  clock?: Clock;
}
