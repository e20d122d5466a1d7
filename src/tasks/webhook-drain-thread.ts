import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { BACKGROUND_NICENESS, openLowPriorityDb } from '../core/db/kysely.js';
import { currentThreadId, idleWhileServed } from '../core/sched/idle-policy.js';
import { startWebhookDrainer, type DrainConfig } from './webhook-drain.js';
import type { FromDrainThread, ToDrainThread } from './webhook-drain-messages.js';

/**
 * The webhook drainer's thread (webhook-drain-host.ts starts it). Posting a thousand deliveries a
 * second is work of the server's own process, and in the event loop that answers requests it put
 * each request behind the tries started before it: on 2 cores the Application API's p99 was 1.7×
 * its figure without a backlog while one drained. Here it runs at a lower priority — on Linux a
 * thread's nice value is its own — so the requests' thread is served first and the drain takes
 * what is left; its claims and outcomes go over connections of its own (their backends lowered as
 * well on the embedded PostgreSQL). What is not its to do goes to the host as messages: logs,
 * metrics, and the changes a delivery's final failure makes to its message.
 */

export interface DrainThreadData {
  databaseUrl: string;
  /** The embedded PostgreSQL, whose backends are this user's processes: they can be lowered too. */
  embedded: boolean;
  config: DrainConfig;
  pollMs: number;
}

const port = parentPort!;
const data = workerData as DrainThreadData;
const post = (message: FromDrainThread) => port.postMessage(message);
const warn = (obj: unknown, msg?: string) =>
  post({ type: 'log', msg: msg ?? '', error: obj instanceof Error ? obj.message : errorOf(obj) });

/** The error a pino-style context carries ({ err }), as text: an Error does not cross threads whole. */
function errorOf(obj: unknown): string | undefined {
  const err = (obj as { err?: unknown } | null)?.err;
  return err === undefined ? undefined : err instanceof Error ? err.message : String(err);
}

try {
  os.setPriority(Math.min(19, os.getPriority() + BACKGROUND_NICENESS));
} catch (error) {
  warn(error, 'the webhook drainer keeps its priority');
}

// The drainer's commits (claims, outcomes) do not wait for their WAL to reach the disk: a crash may
// forget the last few hundred milliseconds of them, and those deliveries are claimed and sent
// again (at least once, as a receiver's timeout already makes them). Each waited for an fsync that
// requests' commits queued behind: bench:webhooks, 3 rounds each, alternating, the API's p99 while
// a backlog drains was 1.56 and 1.49 × its p99 without one, and 1.38 and 1.15 × with this.
const background = openLowPriorityDb(data.databaseUrl, 2, (message) => warn(undefined, message), {
  lowered: data.embedded,
  settings: ['synchronous_commit=off'],
  // the pool connects at its first query, when `priority` is there
  onBackend: (pid) => priority.policyFor(pid),
});

// Beyond the nice value, the idle policy while the drain gets CPU time: a request's thread or
// backend that wakes takes the CPU from it at once, where at nice +10 it waited for the rest of
// the drainer's slice. bench:webhooks, 3 rounds each, alternating: the API's p99 while a backlog
// drained 1.47 and 1.48 × its p99 without one at nice +10, 1.28 and 1.34 × with this; the drain
// under that load 809-820 against 683-768 deliveries/s. On a machine kept busy the policy would
// starve the drain (and the agent bots it posts to): then it falls back to nice +10 for a while.
const self = currentThreadId();
const STARVED_NORMAL_MS = 30_000;
const priority = idleWhileServed({
  ids: () => [...(self === undefined ? [] : [self]), ...background.backendPids()],
  normalMs: STARVED_NORMAL_MS,
  onStarved: (lateMs) =>
    warn(
      undefined,
      `the webhook drainer got no CPU for ${Math.round(lateMs)} ms: it runs at nice +10 for ${STARVED_NORMAL_MS / 1000} s`,
    ),
});
// before it goes idle: the host takes it off the idle policy to stop it, maybe while it still starts
post({ type: 'thread', threadId: self });
void priority.apply();
/** Tries' outcomes for /metrics, posted a batch at a time rather than one message per try. */
let tries: [outcome: string, seconds: number][] = [];
const flushTries = setInterval(() => {
  if (tries.length === 0) return;
  post({ type: 'tries', tries });
  tries = [];
}, 100);
flushTries.unref();
/** Failures the host is applying, by id: each resolves when it says it is done. */
const applying = new Map<string, () => void>();

try {
  const drainer = await startWebhookDrainer(
    {
      backgroundDb: background.db,
      config: data.config,
      databaseUrl: data.databaseUrl,
      log: { warn },
      onTry: (outcome, seconds) => tries.push([outcome, seconds]),
      onFailed: (delivery, error) =>
        new Promise<void>((resolve) => {
          applying.set(delivery.id, resolve);
          post({
            type: 'failed',
            delivery: { id: delivery.id, kind: delivery.kind, event: delivery.event, message_id: delivery.message_id },
            error,
          });
        }),
    },
    { pollMs: data.pollMs },
  );
  port.on('message', (message: ToDrainThread) => {
    if (message.type === 'applied') {
      applying.get(message.id)?.();
      applying.delete(message.id);
    } else if (message.type === 'stop')
      void (async () => {
        await priority.stop();
        await drainer.stop();
        clearInterval(flushTries);
        if (tries.length) post({ type: 'tries', tries });
        await background.close();
        post({ type: 'stopped' });
      })();
  });
  post({ type: 'started' });
} catch (error) {
  await background.close().catch(() => undefined);
  post({ type: 'start-failed', error: (error as Error).message });
}
