import type { Db } from '../../core/db/kysely.js';
import { addJob } from '../../core/jobs/runner.js';

/** The graphile-worker task of Assignment V2's per-inbox run (AutoAssignment::AssignmentJob). */
export const AUTO_ASSIGNMENT = 'auto_assignment';
export interface AutoAssignmentJob {
  account_id: number;
  inbox_id: number;
}

/** Queues the inbox's V2 run in the caller's transaction; a run still waiting absorbs it (enqueue_for_inbox). */
export async function queueInboxRun(db: Db, job: AutoAssignmentJob, runAt?: Date): Promise<void> {
  await addJob(db, AUTO_ASSIGNMENT, { ...job }, { jobKey: `auto_assignment:${job.inbox_id}`, runAt });
}
