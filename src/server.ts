import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { createLogger } from './core/logger.js';
import type { Config } from './core/config.js';
import { migrate } from './core/db/migrate.js';
import { openDatabase, type DatabaseHandle } from './core/db/kysely.js';
import type { App } from './core/http/types.js';
import path from 'node:path';
import { EventBus } from './core/events/bus.js';
import { createStorage } from './core/storage/storage.js';
import { Realtime } from './core/realtime/realtime.js';
import { realtimeListener } from './subscribers/realtime/listener.js';
import { migrateJobQueue } from './core/jobs/runner.js';
import {
  automationListener,
  automationTextMessageFollowUp,
  automationTextMessageInterest,
} from './domains/automation-rules/listener.js';
import { slaListener, slaTextMessageInterest } from './domains/applied-slas/listener.js';
import { webhooksAfterTextMessageFollowUp, webhooksTextMessageFollowUp } from './subscribers/webhooks/text-message.js';
import { webhooksListener } from './subscribers/webhooks/listener.js';
import { webhooksTextMessageInterest } from './domains/webhooks/receivers.js';
import {
  notificationsAfterTextMessageFollowUp,
  notificationsListener,
  notificationsTextMessageFollowUp,
  notificationsTextMessageInterest,
} from './domains/notifications/listener.js';
import { createMailer } from './core/mail/mailer.js';
import { allStarted } from './core/all-started.js';
import { startBackgroundWork, type BackgroundWork } from './background-work.js';
import { autoAssignmentListener, autoAssignmentTextMessageInterest } from './domains/auto-assignment/listener.js';
import { systemClock, type Clock } from './core/clock.js';
import { startMetricsServer } from './core/metrics/http.js';
import { jobQueueStats } from './core/jobs/queue-stats.js';
import { postgresRateLimitStore, redisRateLimitStore, type RateLimitStore } from './core/http/rate-limit-store.js';
import { installationScope } from './core/db/installation.js';
import { messageTemplatesListener, messageTemplatesTextMessageInterest } from './domains/message-templates/listener.js';
import {
  reportingListener,
  reportingTextMessageFollowUp,
  reportingTextMessageInterest,
} from './domains/reporting-events/listener.js';

/** How long after listening a node starts its background work (see startServer). */
const BACKGROUND_START_DELAY_MS = 100;

export interface RunningServer {
  url: string;
  realtime: Realtime;
  app: App;
  /** The node's event bus (tests subscribe to it to watch what a request publishes and when). */
  bus: EventBus;
  database: DatabaseHandle;
  /** Where /metrics answers on a port of its own (CONFAB_METRICS_PORT), if it does. */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

/** Opens the database (embedded or DATABASE_URL), migrates, and serves HTTP on config.host:port. */
export async function startServer(
  config: Readonly<Config>,
  options: {
    logger?: Logger;
    enforceResponseSchemas?: boolean;
    clock?: Clock;
    /** A database the caller opened already (the CLI starts PostgreSQL while this module loads); closed with the server. */
    database?: DatabaseHandle;
    /** Called as soon as the node serves, before its background work has started (the promise waits for that too). */
    onListening?: (url: string) => void;
  } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await openDatabase(config, { log: (message) => logger.info(message) }));
  try {
    // the job queue's schema is graphile-worker's own and no migration of Confab's reads it: the
    // two sets apply at once, on two connections (a cold start applies every one of both), and
    // the routes are built meanwhile (CPU, while PostgreSQL does the migrations' work); the
    // runner's own check later finds nothing to do
    const jobQueueMigrated = migrateJobQueue(database.pool);
    jobQueueMigrated.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    const migrated = migrate(database.db).then(async (applied) => {
      if (applied.length) logger.info({ applied }, 'migrations applied');
      await jobQueueMigrated;
    });
    migrated.catch(() => undefined); // awaited below
    const bus = new EventBus();
    const storage = createStorage({
      directory: path.join(config.dataDir, 'storage'),
      s3: config.s3,
      baseUrl: config.frontendUrl,
    });
    bus.onError((error, event) => logger.error({ err: error, event: event.name }, 'event listener failed'));
    // auto-assignment first: the webhooks and notifications of a new conversation see its assignee
    bus.subscribeTransactional(autoAssignmentListener({ db: database.db, config, bus, storage }), {
      textMessageInterest: autoAssignmentTextMessageInterest,
    });
    // deliveries are written in the transaction of the change (outbox): none is lost to a crash
    // (a one-statement message queues its account webhooks' deliveries itself, their body set after commit)
    bus.subscribeTransactional(webhooksListener({ urls: storage }), {
      textMessageInterest: webhooksTextMessageInterest,
      textMessageFollowUp: webhooksTextMessageFollowUp,
      afterTextMessageFollowUp: webhooksAfterTextMessageFollowUp({ db: database.db, urls: storage }),
    });
    // notifications too: written with the message or assignment that caused them
    bus.subscribeTransactional(notificationsListener(), {
      textMessageInterest: notificationsTextMessageInterest,
      textMessageFollowUp: notificationsTextMessageFollowUp,
      afterTextMessageFollowUp: notificationsAfterTextMessageFollowUp,
    });
    // applied SLAs: a message or status change moves the check of a watched SLA
    bus.subscribeTransactional(slaListener(), { textMessageInterest: slaTextMessageInterest });
    // greetings and out-of-office replies, written with the contact's message that called for them
    bus.subscribeTransactional(messageTemplatesListener({ clock }), {
      textMessageInterest: messageTemplatesTextMessageInterest,
    });
    // reporting events (first response, reply time, resolution, reopening, bot handoff): written
    // with their cause; an agent's one-statement reply writes its own in that statement
    bus.subscribeTransactional(reportingListener({ clock }), {
      textMessageInterest: reportingTextMessageInterest,
      textMessageFollowUp: reportingTextMessageFollowUp,
    });
    // automation rules: their job is queued with the event that triggers them
    bus.subscribeTransactional(automationListener(), {
      textMessageInterest: automationTextMessageInterest,
      textMessageFollowUp: automationTextMessageFollowUp,
    });
    // off unless a token or a port of its own asks for it: no per-request cost by default
    // prom-client is loaded only when metrics are on
    const metrics =
      config.metricsToken || config.metricsPort !== undefined
        ? new (await import('./core/metrics/metrics.js')).Metrics()
        : undefined;
    metrics?.observe({ pool: database.pool, jobQueue: () => jobQueueStats(database.db) });
    // Client API limits count where every node sees them: Redis when configured, else PostgreSQL.
    // The store is made once the schema is migrated (Redis's keys carry the installation's id),
    // and before the node listens, so no request counts before it is there
    let rateLimitStore: RateLimitStore | undefined;
    const rateLimits: RateLimitStore = {
      hit: (keys, windowMs) => rateLimitStore!.hit(keys, windowMs),
      close: async () => rateLimitStore?.close(),
    };
    const mailer = createMailer(config.smtp, config.mailerSender, logger);
    // links in mails point at FRONTEND_URL, else at this server once it listens
    let ownUrl = `http://127.0.0.1:${config.port}`;
    const building = buildApp(
      {
        db: database.db,
        metrics,
        rateLimits,
        config,
        bus,
        storage,
        checkDatabase: () =>
          sql`select 1`.execute(database.db).then(
            () => true,
            () => false,
          ),
        clock,
      },
      { logger, enforceResponseSchemas: options.enforceResponseSchemas },
    );
    building.catch(() => undefined); // awaited below
    try {
      await migrated;
      rateLimitStore = config.redisUrl
        ? await redisRateLimitStore(config.redisUrl, `confab:rl:${await installationScope(database.db)}:`)
        : postgresRateLimitStore(database.db);
    } catch (error) {
      await building.then((app) => app.close()).catch(() => undefined);
      throw error;
    }
    const startingRealtime = Realtime.start({
      db: database.db,
      databaseUrl: database.url,
      redisUrl: config.redisUrl,
      bus,
      broadcasts: realtimeListener(database.db, storage),
      replaySeconds: config.cableReplaySeconds,
      log: (message) => logger.warn(message),
    });
    const [app, realtime] = await allStarted([building, startingRealtime] as const, [
      (app) => app.close(),
      (realtime) => realtime.close(),
    ]);
    // the durable jobs, the webhook drainer's thread and the drains start once the node serves: on
    // 2 cores, their start (a thread loading its modules, graphile-worker's connections and checks)
    // held the routes' build back by a quarter of a warm start. A close meanwhile waits for them.
    let startingBackground: Promise<BackgroundWork | undefined> = Promise.resolve(undefined);
    app.addHook('onClose', async () => {
      await (await startingBackground.catch(() => undefined))?.stop();
      mailer.close();
      await rateLimits.close();
    });
    app.server.on('upgrade', (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://confab').pathname === '/cable')
        realtime.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
    metrics?.observe({ cable: realtime.cable });
    const metricsServer =
      metrics && config.metricsPort !== undefined
        ? await startMetricsServer(metrics, {
            host: config.metricsHost,
            port: config.metricsPort,
            token: config.metricsToken,
          })
        : undefined;
    if (metricsServer) logger.info(`metrics on ${metricsServer.url}/metrics`);
    app.addHook('onClose', async () => metricsServer?.close());
    // sockets close before the HTTP server waits for its connections to end; the broadcasts of
    // requests still in flight are stored (replay) before the fan-out closes, after them
    app.addHook('preClose', async () => realtime.disconnectClients());
    app.addHook('onClose', async () => realtime.close());
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace('[::1]', 'localhost');
    ownUrl = url;
    storage.setBaseUrl(url);
    options.onListening?.(url);
    // a moment after listening: their start holds the event loop for ~150 ms in all (graphile-worker's
    // set-up, the thread's spawn, connections' SCRAM), and the node's first requests, which often come
    // at once (a balancer's health check, a browser opened on the URL), waited behind it: warm starts
    // to the first 200, ~870 ms, were ~150 ms shorter with no background work at all
    // (nothing can close the app meanwhile: it is handed out only once this has started)
    startingBackground = delay(BACKGROUND_START_DELAY_MS).then(() =>
      startBackgroundWork({
        database,
        logger,
        bus,
        config,
        storage,
        mailer,
        clock,
        metrics,
        frontendBase: () => config.frontendUrl ?? ownUrl,
      }),
    );
    await startingBackground.catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
    let closing: Promise<void> | undefined;
    /**
     * Stops gracefully: no new connection, /cable clients told to reconnect, in-flight requests
     * answered (those still running after CONFAB_SHUTDOWN_TIMEOUT_MS are cut off), running jobs
     * finished or handed back to the queue, then the database closed (the embedded one stopped).
     */
    const close = async () => {
      const overdue = setTimeout(() => {
        logger.warn(
          { timeoutMs: config.shutdownTimeoutMs },
          'requests still running at the shutdown timeout; closing their connections',
        );
        app.server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      try {
        await app.close();
      } finally {
        clearTimeout(overdue);
        await database.close();
      }
    };
    return {
      url,
      realtime,
      app,
      bus,
      database,
      metricsUrl: metricsServer?.url,
      close: () => (closing ??= close()),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
