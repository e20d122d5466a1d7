import type pg from 'pg';
import { sql } from 'kysely';
import { Logger, run, runMigrations, type TaskList } from 'graphile-worker';
import type { Logger as Pino } from 'pino';
import type { Db } from '../db/kysely.js';
import { releaseDeadWorkers, WorkerLiveness } from './liveness.js';

export interface JobRunnerOptions {
  /** Jobs run at once (default 4); 0 starts no worker at all. */
  concurrency?: number;
  /** How often workers look for jobs scheduled for later (ms). */
  pollInterval?: number;
  /** How often this node frees the jobs of nodes that died (ms); it also does so at start. */
  reapInterval?: number;
  /** Recurring jobs, one crontab line each (graphile-worker's format); each tick runs once across all nodes. */
  crontab?: readonly string[];
}

export interface JobRunner {
  stop(): Promise<void>;
}

/** Creates or updates the job queue's schema (graphile_worker) without running any job. */
export async function migrateJobQueue(pool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: new Logger(() => () => undefined) });
}

/**
 * Durable jobs in PostgreSQL (graphile-worker): every node runs a small worker pool and they
 * share the queue, so a crash loses nothing and any node picks the work up — at once, since the
 * jobs a dead node held are freed (liveness.ts) rather than left locked for four hours.
 */
export async function startJobRunner(
  database: { pool: pg.Pool; db: Db; url: string },
  log: Pino,
  tasks: TaskList,
  options: JobRunnerOptions = {},
): Promise<JobRunner> {
  const logger = new Logger(() => (level, message) => {
    if (level === 'error') log.error(message);
    else if (level === 'warning') log.warn(message);
    else log.debug(message);
  });
  if (options.concurrency === 0) {
    // no worker, but the queue's schema must exist: this node's requests queue jobs
    await runMigrations({ pgPool: database.pool, logger });
    return { stop: async () => {} };
  }
  const liveness = new WorkerLiveness(database.url, log);
  const plugin: GraphileConfig.Plugin = {
    name: 'ConfabWorkerLiveness',
    version: '1.0.0',
    // a pool takes no job before its node holds the pool's lock
    worker: { hooks: { startWorker: (_ctx, event) => liveness.holdPatiently(event.worker.workerPool.id) } },
  };
  const runner = await run({
    pgPool: database.pool,
    taskList: tasks,
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 1000,
    logger,
    preset: { plugins: [plugin] },
    ...(options.crontab?.length ? { crontab: options.crontab.join('\n') } : {}),
  });
  const reap = async () => {
    try {
      const pools = await releaseDeadWorkers(database.db);
      if (pools.length) log.info({ pools }, 'freed the jobs of job workers that stopped without finishing them');
    } catch (error) {
      log.warn({ err: error }, 'could not free the jobs of stopped job workers');
    }
  };
  await reap();
  const timer = setInterval(() => void reap(), options.reapInterval ?? 30_000).unref();
  return {
    async stop() {
      clearInterval(timer);
      await runner.stop();
      await liveness.close();
    },
  };
}

/** Queues a job inside the caller's transaction: it exists exactly when the change commits. */
export async function addJob(
  db: Db,
  task: string,
  payload: Record<string, unknown>,
  options: { maxAttempts?: number; jobKey?: string; runAt?: Date } = {},
): Promise<void> {
  // a job key coalesces: a job still waiting is replaced by this one rather than joined by it
  await sql`select graphile_worker.add_job(${task}, ${JSON.stringify(payload)}::json, max_attempts => ${options.maxAttempts ?? 5},
    job_key => ${options.jobKey ?? null}::text, job_key_mode => 'replace', run_at => ${options.runAt ?? null}::timestamptz)`.execute(
    db,
  );
}
