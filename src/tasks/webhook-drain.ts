import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../core/db/kysely.js';
import { lockKeyOf } from '../core/jobs/liveness.js';
import type { WebhookOutcome } from '../core/metrics/metrics.js';
import { backoffMs, postOnce, type DeliverConfig } from '../core/webhooks/deliver.js';
import { signatureHeaders } from '../core/webhooks/sign.js';
import {
  claimDeliveries,
  recordOutcomes,
  releaseClaims,
  type ClaimedDelivery,
  type Outcome,
} from './webhook-drain-queries.js';

export const WAKE_CHANNEL = 'confab_webhook_deliveries';
/** How long stopping waits for tries in flight. */
const STOP_WAIT_MS = 5000;
/**
 * How long a NOTIFY's wake waits before it claims: requests queue their deliveries one by one, and
 * claiming each at once made a claim and an outcome statement per delivery (two of the Application
 * API message's 19 statements); gathered, one claim takes the deliveries of several requests.
 */
const GATHER_MS = 20;

export interface DrainConfig extends DeliverConfig {
  webhookConcurrency: number;
  webhookUrlConcurrency: number;
}

export interface WebhookDrainer {
  stop(): Promise<void>;
}

/** What a drainer logs: warnings, with their context first (pino's order). */
export interface DrainLog {
  warn(obj: unknown, msg?: string): void;
}

export interface DrainDeps {
  /**
   * Claims and outcomes: they lock only the claimed rows, which no request waits on (a request
   * inserts its deliveries), so they may run at the background pool's lower priority.
   */
  backgroundDb: Db;
  config: DrainConfig;
  log: DrainLog;
  databaseUrl: string;
  /** Counts each try's outcome and time (/metrics). */
  onTry?: (outcome: WebhookOutcome, seconds: number) => void;
  /**
   * A delivery that failed for good, once its outcome is written: what that does to its message
   * (webhook-deliver.ts applyFailure) is a change with events, the server's to make.
   */
  onFailed(delivery: ClaimedDelivery, error: string): Promise<void>;
}

/**
 * This node's webhook drainer. It claims due deliveries in batches (one statement, secrets
 * included), posts them concurrently over keep-alive connections — at most
 * `webhookConcurrency` in flight, at most `webhookUrlConcurrency` to one URL, so a slow
 * receiver holds its own slots and no one else's — and writes the outcomes back in one
 * statement per batch (those that finish while one is being written go in the next).
 *
 * It is woken by a NOTIFY from each transaction that inserts deliveries, and every `pollMs` for
 * retries that fell due. Its claims carry its id, on which its own connection holds an advisory
 * lock: when the node dies the lock goes, and any node takes the claims back at once.
 */
export async function startWebhookDrainer(deps: DrainDeps, options: { pollMs: number }): Promise<WebhookDrainer> {
  const me = `webhooks-${randomUUID()}`;
  const limit = deps.config.webhookConcurrency;
  const perUrl = deps.config.webhookUrlConcurrency;
  let stopped = false;
  let listener: pg.Client | undefined;
  /** Claimed rows, by URL: those in flight and those waiting for a slot of their URL. */
  const byUrl = new Map<string, { active: number; waiting: ClaimedDelivery[] }>();
  let held = 0;
  let pumping: Promise<void> | undefined;
  let again = false;
  const outcomes: Outcome[] = [];
  const failures: { delivery: ClaimedDelivery; error: string }[] = [];
  let writing: Promise<void> | undefined;
  const idle: (() => void)[] = [];

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: deps.databaseUrl, application_name: 'confab webhook drainer' });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (listener !== client) return;
      listener = undefined;
      if (stopped) return;
      deps.log.warn('webhook drainer connection lost; connecting again');
      const retry = (delay: number) =>
        setTimeout(() => {
          if (stopped) return;
          connect().catch(() => retry(Math.min(delay * 2, 30_000)));
        }, delay).unref();
      retry(500);
    });
    await client.connect();
    try {
      await client.query(`select pg_advisory_lock(${lockKeyOf('$1::text')})`, [me]);
      client.on('notification', () => wakeSoon());
      await client.query(`listen ${WAKE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    listener = client;
    wake();
  };

  /** There may be due rows not yet claimed (a NOTIFY, the poll, a claim that came back full). */
  let due = true;
  /**
   * Claims failed in a row. Only the first is logged: with the database down, every poll's claim
   * fails (ten a second at CONFAB_JOB_POLL_MS=100), and the log said the same thing each time;
   * the first claim that works again says how many failed.
   */
  let claimFailures = 0;
  let wakes = 0;
  /** URLs that may have more due than the last claim took: left out, or given their whole share. */
  const skipped = new Set<string>();
  const load = (url: string) => {
    const q = byUrl.get(url);
    return q ? q.active + q.waiting.length : 0;
  };

  /** Claims when there may be work and room enough for a batch: not one statement per finished try. */
  function pump(): void {
    if (stopped || !listener || !due) return;
    if (held > 0 && limit - held < Math.max(1, limit >> 3)) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      do {
        again = false;
        const room = limit - held;
        if (room <= 0 || !listener) break;
        // a URL is left out while this node holds twice its slots: its in-flight tries and as many waiting
        const full = [...byUrl.keys()].filter((url) => load(url) >= 2 * perUrl);
        const before = wakes;
        const rows = await claimDeliveries(deps.backgroundDb, me, { limit: room, perUrl, skipUrls: full });
        if (claimFailures > 0) {
          deps.log.warn({}, `webhook deliveries are claimed again, after ${claimFailures} failed claims`);
          claimFailures = 0;
        }
        skipped.clear();
        for (const url of full) skipped.add(url);
        // a URL that got its whole share may have more due: claimed again once it has room
        const counts = new Map<string, number>();
        for (const row of rows) counts.set(row.url, (counts.get(row.url) ?? 0) + 1);
        for (const [url, n] of counts) if (n >= perUrl) skipped.add(url);
        // a wake during the claim may be rows its snapshot did not see
        due = rows.length === room || wakes !== before;
        for (const row of rows) take(row);
      } while (again && due && !stopped);
    })()
      .catch((error: unknown) => {
        if (claimFailures++ === 0)
          deps.log.warn({ err: error }, 'webhook deliveries could not be claimed (tried again at each poll)');
      })
      .finally(() => {
        pumping = undefined;
        if (again) pump();
      });
  }

  function wake(): void {
    due = true;
    wakes++;
    pump();
  }

  let gathering: NodeJS.Timeout | undefined;
  /** A wake that claims GATHER_MS later (marked due at once: a claim running now may miss the rows). */
  function wakeSoon(): void {
    due = true;
    wakes++;
    gathering ??= setTimeout(() => {
      gathering = undefined;
      pump();
    }, GATHER_MS);
  }

  function take(row: ClaimedDelivery): void {
    held++;
    const queue = byUrl.get(row.url) ?? { active: 0, waiting: [] };
    byUrl.set(row.url, queue);
    queue.waiting.push(row);
    next(row.url);
  }

  function next(url: string): void {
    const queue = byUrl.get(url)!;
    while (!stopped && queue.active < perUrl && queue.waiting.length) {
      queue.active++;
      void attempt(queue.waiting.shift()!).finally(() => {
        queue.active--;
        held--;
        if (queue.active === 0 && queue.waiting.length === 0) byUrl.delete(url);
        else next(url);
        if (held === 0) for (const resolve of idle.splice(0)) resolve();
        // a URL that was left out has room for a batch again: its due rows can be claimed
        if (skipped.has(url) && load(url) <= perUrl) {
          skipped.delete(url);
          due = true;
        }
        pump();
      });
    }
  }

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    const result = await postOnce(
      delivery.url,
      body,
      signatureHeaders(delivery.id, delivery.secret, body),
      deps.config,
    );
    const attempts = delivery.attempts + 1;
    const retry = !result.ok && result.retryable && attempts < deps.config.webhookMaxAttempts;
    const status = result.ok ? 'succeeded' : retry ? 'pending' : 'failed';
    deps.onTry?.(result.ok ? 'succeeded' : retry ? 'retried' : 'failed', result.latencyMs / 1000);
    outcomes.push({
      id: delivery.id,
      status,
      attempts,
      code: result.code,
      latencyMs: result.latencyMs,
      error: result.error,
      nextAt: retry ? new Date(Date.now() + backoffMs(attempts, deps.config.webhookBackoffMs)) : null,
    });
    if (status === 'failed') {
      deps.log.warn({ delivery: delivery.id, url: delivery.url, error: result.error }, 'webhook delivery failed');
      failures.push({ delivery, error: result.error ?? 'delivery failed' });
    }
    await write();
  }

  /** Group commit: the outcomes that arrive while a batch is written go in the next one. */
  function write(): Promise<void> {
    writing ??= (async () => {
      while (outcomes.length) {
        const batch = outcomes.splice(0);
        const failed = failures.splice(0);
        try {
          await recordOutcomes(deps.backgroundDb, me, batch);
        } catch (error) {
          // the rows stay claimed by this node: after a restart (or by another node at its death) they are tried again
          deps.log.warn({ err: error }, 'webhook delivery outcomes could not be written');
          continue;
        }
        for (const { delivery, error } of failed)
          await deps
            .onFailed(delivery, error)
            .catch((e: unknown) =>
              deps.log.warn({ err: e, delivery: delivery.id }, 'a failed delivery could not be applied'),
            );
      }
    })().finally(() => {
      writing = undefined;
    });
    return writing;
  }

  await connect();
  const timer = setInterval(wake, options.pollMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(gathering);
      await pumping;
      // tries not begun are handed back; those in flight may finish
      const untried = [...byUrl.values()].flatMap((q) => q.waiting.splice(0));
      held -= untried.length;
      await releaseClaims(
        deps.backgroundDb,
        me,
        untried.map((d) => d.id),
      ).catch(() => undefined);
      // bounded: a try still running after that comes back to any node once this one's lock goes
      if (held > 0)
        await new Promise<void>((resolve) => {
          idle.push(resolve);
          setTimeout(resolve, Math.min(deps.config.webhookTimeoutMs, STOP_WAIT_MS)).unref();
        });
      await writing;
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
