import type { Logger } from 'pino';
import type { Config } from './core/config.js';
import { allStarted } from './core/all-started.js';
import type { Clock } from './core/clock.js';
import { openBackgroundDb, type DatabaseHandle } from './core/db/kysely.js';
import type { EventBus } from './core/events/bus.js';
import { startJobRunner } from './core/jobs/runner.js';
import type { Mailer } from './core/mail/mailer.js';
import type { Metrics } from './core/metrics/metrics.js';
import { startRollupFolder } from './core/reports/rollup-folder.js';
import type { Storage } from './core/storage/storage.js';
import { startAutomationDrainer } from './domains/automation-rules/drain.js';
import { AUTH_MAIL, authMailTask } from './tasks/auth-mail.js';
import {
  AUTO_ASSIGNMENT,
  AUTO_ASSIGNMENT_CRONTAB,
  AUTO_ASSIGNMENT_PERIODIC,
  autoAssignmentPeriodicTask,
  autoAssignmentTask,
} from './tasks/auto-assignment.js';
import { AUTO_RESOLVE, AUTO_RESOLVE_CRONTAB, autoResolveTask } from './tasks/auto-resolve.js';
import { AUTOMATION_RULES, automationRulesTask } from './tasks/automation-rules.js';
import { AVATAR_FROM_URL, avatarFromUrlTask } from './tasks/avatar-from-url.js';
import { BULK_ACTIONS, bulkActionsTask } from './tasks/bulk-actions.js';
import { CONTACTS_IMPORT, contactsImportTask } from './tasks/contacts-import.js';
import { CONVERSATION_MAIL, conversationMailTask } from './tasks/conversation-mail.js';
import { MACROS_EXECUTION, macrosExecutionTask } from './tasks/macros-execution.js';
import { NOTIFICATION_MAIL, notificationMailTask } from './tasks/notification-mail.js';
import { NOTIFICATION_UNSNOOZE, unsnoozeTask } from './tasks/notification-unsnooze.js';
import { SLA_CHECK, slaCheckTask } from './tasks/sla-check.js';
import { SNOOZE_WAKE, snoozeWakeTask } from './tasks/snooze-wake.js';
import { WEBHOOK_DELIVER, webhookDeliverTask } from './tasks/webhook-deliver.js';
import { startWebhookDrainerThread } from './tasks/webhook-drain-host.js';
import { WEBHOOK_LOG_PRUNE, WEBHOOK_LOG_PRUNE_CRONTAB, webhookLogPruneTask } from './tasks/webhook-log-prune.js';
import { WEBHOOK_RENDER, WEBHOOK_RENDER_CRONTAB, webhookRenderTask } from './tasks/webhook-render.js';

export interface BackgroundWorkDeps {
  database: DatabaseHandle;
  logger: Logger;
  bus: EventBus;
  config: Readonly<Config>;
  storage: Storage;
  mailer: Mailer;
  clock: Clock;
  metrics: Metrics | undefined;
  /** Where links in mails point: FRONTEND_URL, else this server once it listens. */
  frontendBase: () => string;
}

export interface BackgroundWork {
  /** Stops what runs, in order: the drains first, then the jobs (finished or handed back to the queue). */
  stop(): Promise<void>;
}

/**
 * What a node runs besides answering requests: durable jobs, webhook deliveries (a thread of
 * their own), automation events and report rollups. A failed start stops what did start.
 */
export async function startBackgroundWork(deps: BackgroundWorkDeps): Promise<BackgroundWork> {
  const { database, logger, bus, config, storage, mailer, clock, metrics, frontendBase } = deps;
  const db = database.db;
  const startingJobs = startJobRunner(
    database,
    logger,
    {
      [BULK_ACTIONS]: bulkActionsTask({ db, bus, config, storage }),
      [AUTOMATION_RULES]: automationRulesTask({ db, bus, config, storage }),
      [CONTACTS_IMPORT]: contactsImportTask(db),
      [AVATAR_FROM_URL]: avatarFromUrlTask({ db, storage, config, log: logger }),
      [SNOOZE_WAKE]: snoozeWakeTask({ db, bus }),
      [SLA_CHECK]: slaCheckTask({ db, bus }),
      [WEBHOOK_DELIVER]: webhookDeliverTask(),
      [NOTIFICATION_UNSNOOZE]: unsnoozeTask({ db, bus }),
      [AUTH_MAIL]: authMailTask({ db, mailer, frontendBase }),
      [NOTIFICATION_MAIL]: notificationMailTask({ db, mailer, frontendBase }),
      [MACROS_EXECUTION]: macrosExecutionTask({ db, bus, config, storage }),
      [CONVERSATION_MAIL]: conversationMailTask({ db, mailer, urls: storage, frontendBase }),
      [WEBHOOK_LOG_PRUNE]: webhookLogPruneTask({ db, days: config.webhookLogDays, log: logger }),
      [WEBHOOK_RENDER]: webhookRenderTask({ db, urls: storage, log: logger }),
      [AUTO_ASSIGNMENT]: autoAssignmentTask({ db, bus, config, storage }),
      [AUTO_ASSIGNMENT_PERIODIC]: autoAssignmentPeriodicTask({ db }),
      [AUTO_RESOLVE]: autoResolveTask({ db, bus, clock }),
    },
    {
      concurrency: config.jobConcurrency,
      pollInterval: config.jobPollMs,
      reapInterval: config.jobReapMs,
      crontab: [WEBHOOK_LOG_PRUNE_CRONTAB, WEBHOOK_RENDER_CRONTAB, AUTO_ASSIGNMENT_CRONTAB, AUTO_RESOLVE_CRONTAB],
    },
  );
  // background work no request waits on runs at a lower priority (core/db/kysely.ts openBackgroundDb)
  const background = openBackgroundDb(database, (message) => logger.warn(message));
  // webhook deliveries, in batches over keep-alive connections, from a thread of lower priority
  const startingWebhooks =
    config.jobConcurrency > 0
      ? startWebhookDrainerThread(
          {
            db,
            backgroundDb: background.db,
            bus,
            config,
            log: logger,
            databaseUrl: database.url,
            embedded: database.embedded !== undefined,
            metrics,
          },
          { pollMs: config.jobPollMs },
        )
      : Promise.resolve(undefined);
  const [jobs, webhooks] = await allStarted([startingJobs, startingWebhooks] as const, [
    (jobs) => jobs.stop(),
    (webhooks) => webhooks?.stop(),
  ]).catch(async (error: unknown) => {
    await background.close();
    throw error;
  });
  // automation events are drained where jobs run (a serving-only node queues them)
  // the two drains' batches lock nothing a request waits on: they run at a lower priority
  const automation =
    config.jobConcurrency > 0
      ? startAutomationDrainer(
          { db, backgroundDb: background.db, bus, config, storage, log: logger },
          { idleMs: config.jobPollMs },
        )
      : undefined;
  // and so are deltas folded: report rollups, label counters (their readers read the unfolded ones too)
  const rollups =
    config.jobConcurrency > 0
      ? startRollupFolder({ db: background.db, log: logger }, { idleMs: config.reportRollupFoldMs })
      : undefined;
  return {
    async stop() {
      await automation?.stop();
      await webhooks?.stop();
      await rollups?.stop();
      await background.close();
      await jobs.stop();
    },
  };
}
