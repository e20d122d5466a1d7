import { sql } from 'kysely';
import type { Task } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Db } from '../core/db/kysely.js';
import { pruneJobMarks } from '../core/jobs/marks.js';
import { pruneAutomationRuns } from '../domains/automation-rules/prune.js';

export const WEBHOOK_LOG_PRUNE = 'webhook_log_prune';
/** Hourly; one job per tick across all nodes (graphile-worker's known_crontabs), a late one replacing a waiting one. */
export const WEBHOOK_LOG_PRUNE_CRONTAB = `17 * * * * ${WEBHOOK_LOG_PRUNE} ?max=3&jobKey=${WEBHOOK_LOG_PRUNE}`;
/** How long a job's marks stay (graphile-worker's retries of a job are over within a day). */
const JOB_MARK_DAYS = 7;
/** Rows per delete statement: short statements, no long lock on a big log. */
const BATCH = 5000;

/**
 * Keeps the delivery log (webhook_deliveries) to CONFAB_WEBHOOK_LOG_DAYS: deliveries that
 * succeeded or failed and were created longer ago are deleted; pending ones stay, whatever their
 * age, since a job still points at them. 0 days keeps everything.
 */
export function webhookLogPruneTask(deps: { db: Db; days: number; log: Logger }): Task {
  return async () => {
    // the hourly housekeeping tick also forgets what week-old jobs did: none of them is retried any more
    await pruneJobMarks(deps.db, JOB_MARK_DAYS);
    // and the automation rules' week-old runs (a run per rule per event adds up)
    const runs = await pruneAutomationRuns(deps.db);
    if (runs) deps.log.info({ deleted: runs }, 'pruned the automation rule runs');
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
