import { sql } from 'kysely';
import type { Task } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Db } from '../core/db/kysely.js';

export const WEBHOOK_LOG_PRUNE = 'webhook_log_prune';
/** Hourly; one job per tick across all nodes (graphile-worker's known_crontabs), a late one replacing a waiting one. */
export const WEBHOOK_LOG_PRUNE_CRONTAB = `17 * * * * ${WEBHOOK_LOG_PRUNE} ?max=3&jobKey=${WEBHOOK_LOG_PRUNE}`;
/** Rows per delete statement: short statements, no long lock on a big log. */
const BATCH = 5000;

/**
 * Keeps the delivery log (webhook_deliveries) to CONFAB_WEBHOOK_LOG_DAYS: deliveries that
 * succeeded or failed and were created longer ago are deleted; pending ones stay, whatever their
 * age, since a job still points at them. 0 days keeps everything.
 */
export function webhookLogPruneTask(deps: { db: Db; days: number; log: Logger }): Task {
  return async () => {
    if (deps.days <= 0) return;
    let deleted = 0;
    for (;;) {
      const result = await sql`delete from webhook_deliveries where id in (
        select id from webhook_deliveries where created_at < now() - make_interval(days => ${deps.days}) and status <> 'pending' limit ${BATCH})`.execute(
        deps.db,
      );
      const count = Number(result.numAffectedRows ?? 0);
      deleted += count;
      if (count < BATCH) break;
    }
    if (deleted) deps.log.info({ deleted, days: deps.days }, 'pruned the webhook delivery log');
  };
}
