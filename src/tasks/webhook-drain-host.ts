import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from '../core/db/kysely.js';
import type { EventBus } from '../core/events/bus.js';
import type { Metrics, WebhookOutcome } from '../core/metrics/metrics.js';
import { setIdlePolicy } from '../core/sched/idle-policy.js';
import { applyFailure } from './webhook-deliver.js';
import { startWebhookDrainer, type DrainConfig, type WebhookDrainer } from './webhook-drain.js';
import type { DrainThreadData } from './webhook-drain-thread.js';
import type { FromDrainThread, ToDrainThread } from './webhook-drain-messages.js';

interface HostDeps {
  db: Db;
  /** The in-process drainer's claims and outcomes (when there is no thread to run it). */
  backgroundDb: Db;
  bus: EventBus;
  config: DrainConfig;
  log: Logger;
  databaseUrl: string;
  embedded: boolean;
  metrics?: Pick<Metrics, 'webhookTry'> | undefined;
}

/** A thread that died is started again this much later. */
const RESTART_MS = 1000;

/**
 * The built thread entry beside this module: the bundle's (.mjs) or tsc's (.js); run from the
 * sources (the tests), tsc's build of them, which the test setup makes first. None: undefined.
 */
function threadEntry(): URL | undefined {
  return [
    new URL('./webhook-drain-thread.mjs', import.meta.url),
    new URL('./webhook-drain-thread.js', import.meta.url),
    new URL('../../dist/tasks/webhook-drain-thread.js', import.meta.url),
  ].find((url) => existsSync(fileURLToPath(url)));
}

/**
 * This node's webhook drainer (webhook-drain.ts), in a thread of its own at a lower priority
 * (webhook-drain-thread.ts says why). The host logs what it reports, counts its tries, applies
 * its final failures with the server's bus, and starts it again if it dies; the server does not
 * wait for it to start. Without a built
 * thread entry the drainer runs here, in the server's event loop, as it did before.
 */
export async function startWebhookDrainerThread(deps: HostDeps, options: { pollMs: number }): Promise<WebhookDrainer> {
  const onFailed = (delivery: Parameters<typeof applyFailure>[1], error: string) =>
    applyFailure({ db: deps.db, bus: deps.bus }, delivery, error);
  const entry = threadEntry();
  if (!entry)
    return startWebhookDrainer(
      {
        backgroundDb: deps.backgroundDb,
        config: deps.config,
        log: deps.log,
        databaseUrl: deps.databaseUrl,
        onTry: (outcome, seconds) => deps.metrics?.webhookTry(outcome, seconds),
        onFailed,
      },
      options,
    );
  const data: DrainThreadData = {
    databaseUrl: deps.databaseUrl,
    embedded: deps.embedded,
    config: {
      webhookConcurrency: deps.config.webhookConcurrency,
      webhookUrlConcurrency: deps.config.webhookUrlConcurrency,
      webhookAllowPrivate: deps.config.webhookAllowPrivate,
      webhookTimeoutMs: deps.config.webhookTimeoutMs,
      webhookMaxAttempts: deps.config.webhookMaxAttempts,
      webhookBackoffMs: deps.config.webhookBackoffMs,
    },
    pollMs: options.pollMs,
  };
  let stopping = false;
  let alive = false;
  let worker: Worker;
  let stopped: (() => void) | undefined;
  let threadId: number | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const thread = new Worker(entry, { workerData: data, name: 'confab webhook drainer' });
      worker = thread;
      alive = true;
      thread.on('message', (message: FromDrainThread) => {
        switch (message.type) {
          case 'thread':
            threadId = message.threadId;
            return;
          case 'started':
            return resolve();
          case 'start-failed':
            deps.log.warn({ err: message.error }, 'the webhook drainer could not start');
            return reject(new Error(message.error));
          case 'stopped':
            return stopped?.();
          case 'log':
            return deps.log.warn(message.error === undefined ? {} : { err: message.error }, message.msg);
          case 'tries':
            for (const [outcome, seconds] of message.tries)
              deps.metrics?.webhookTry(outcome as WebhookOutcome, seconds);
            return;
          case 'failed':
            void onFailed(message.delivery, message.error)
              .catch((error: unknown) =>
                deps.log.warn({ err: error, delivery: message.delivery.id }, 'a failed delivery could not be applied'),
              )
              .finally(() => thread.postMessage({ type: 'applied', id: message.delivery.id } satisfies ToDrainThread));
            return;
        }
      });
      thread.on('error', (error) => {
        deps.log.warn({ err: error }, 'the webhook drainer thread failed');
        reject(error);
      });
      thread.on('exit', () => {
        alive = false;
        // a gone thread's id may later name another task of this user's
        threadId = undefined;
        stopped?.();
        if (stopping) return;
        deps.log.warn('the webhook drainer thread stopped; starting it again');
        setTimeout(() => {
          if (!stopping) start().catch(() => undefined);
        }, RESTART_MS).unref();
      });
    });

  // not awaited: loading the thread's modules in a new isolate took 50-150 ms of a warm start, and
  // the server serves while it connects (deliveries are rows; a thread that cannot start ends, and
  // is started again a second later, as one that dies)
  start().catch(() => undefined);
  return {
    async stop() {
      stopping = true;
      const thread = worker;
      // the thread hands back what it has not tried and waits (bounded) for tries in flight; at the
      // idle policy it would not even read the message while the machine is busy (a SIGTERM under
      // CI's load waited 4.5 s for it), so it runs at the normal one from here
      if (alive) {
        if (threadId !== undefined) await setIdlePolicy(threadId, false);
        await new Promise<void>((resolve) => {
          stopped = resolve;
          thread.postMessage({ type: 'stop' } satisfies ToDrainThread);
        });
      }
      await thread.terminate();
    },
  };
}
