import { sql } from 'kysely';
import type { Db } from '../src/core/db/kysely.js';

/**
 * Automation work not yet done: events waiting for the drainer and `automation_rules` jobs queued or
 * running. Zero means every rule that was going to run has run.
 */
export async function pendingAutomation(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select (select count(*) from graphile_worker.jobs
      where task_identifier = 'automation_rules') + (select count(*) from automation_events) as n`.execute(db);
  return Number(rows[0]!.n);
}
