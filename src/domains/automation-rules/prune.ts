import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';

/**
 * How long a rule's runs stay listed: long enough to see why a rule did or did not fire last
 * week. A busy account records a run per rule per event (100 rules: 100 rows a message), so the
 * table must not keep everything.
 */
export const AUTOMATION_RUN_DAYS = 7;
/** Rows per delete statement: short statements, no long lock. */
const BATCH = 5000;

/**
 * Deletes runs older than `days`, oldest first through the primary key (ids grow with time, so
 * each statement reads little more than what it deletes). Returns how many went.
 */
export async function pruneAutomationRuns(db: Db, days = AUTOMATION_RUN_DAYS): Promise<number> {
  let deleted = 0;
  for (const table of [sql.table('automation_rule_runs'), sql.table('automation_event_runs')])
    for (;;) {
      const result = await sql`delete from ${table} where id in (
        select id from ${table} where created_at < now() - make_interval(days => ${days})
        order by id limit ${BATCH})`.execute(db);
      const count = Number(result.numAffectedRows ?? 0);
      deleted += count;
      if (count < BATCH) break;
    }
  return deleted;
}
