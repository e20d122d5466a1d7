import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';

/**
 * The durable queue by task, for /metrics: jobs due now that no worker has taken (depth) and how
 * long the oldest of them has waited (lag). One statement over graphile-worker's jobs view; its
 * index on (run_at) among unlocked jobs keeps it short however long the finished history was.
 */
export async function jobQueueStats(db: Db): Promise<{ task: string; depth: number; lagSeconds: number }[]> {
  const { rows } = await sql<{ task: string; depth: number; lag_seconds: number }>`
    select task_identifier as task, count(*)::int as depth,
           greatest(0, extract(epoch from now() - min(run_at)))::float8 as lag_seconds
    from graphile_worker.jobs
    where locked_at is null and run_at <= now() and attempts < max_attempts
    group by task_identifier`.execute(db);
  return rows.map((r) => ({ task: r.task, depth: r.depth, lagSeconds: r.lag_seconds }));
}
