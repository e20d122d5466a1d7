import type pg from 'pg';
import { sql } from 'kysely';
import { Logger, run, type Runner, type TaskList } from 'graphile-worker';
import type { Logger as Pino } from 'pino';
import type { Db } from '../db/kysely.js';

/**
 * Durable jobs in PostgreSQL (graphile-worker): every node runs a small worker pool and they
 * share the queue, so a crash loses nothing and any node picks the work up.
 */
export async function startJobRunner(pool: pg.Pool, log: Pino, tasks: TaskList, options: { pollInterval?: number } = {}): Promise<Runner> {
  const logger = new Logger(() => (level, message) => {
    if (level === 'error') log.error(message);
    else if (level === 'warning') log.warn(message);
    else log.debug(message);
  });
  return run({ pgPool: pool, taskList: tasks, concurrency: 4, noHandleSignals: true, pollInterval: options.pollInterval ?? 1000, logger });
}

/** Queues a job inside the caller's transaction: it exists exactly when the change commits. */
export async function addJob(db: Db, task: string, payload: Record<string, unknown>, options: { maxAttempts?: number } = {}): Promise<void> {
  await sql`select graphile_worker.add_job(${task}, ${JSON.stringify(payload)}::json, max_attempts => ${options.maxAttempts ?? 5})`.execute(db);
}
