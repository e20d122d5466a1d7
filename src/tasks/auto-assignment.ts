import type { Task } from 'graphile-worker';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/kysely.js';
import type { EventBus } from '../core/events/bus.js';
import type { Storage } from '../core/storage/storage.js';
import { queueInboxRun, type AutoAssignmentJob } from '../domains/auto-assignment/listener.js';
import { assignInbox, assignmentV2 } from '../domains/auto-assignment/run-inbox.js';

export { AUTO_ASSIGNMENT } from '../domains/auto-assignment/listener.js';
/** AutoAssignment::PeriodicAssignmentJob: every 30 minutes, each inbox with a policy gets a run. */
export const AUTO_ASSIGNMENT_PERIODIC = 'auto_assignment_periodic';
export const AUTO_ASSIGNMENT_CRONTAB = `*/30 * * * * ${AUTO_ASSIGNMENT_PERIODIC} ?max=3&jobKey=${AUTO_ASSIGNMENT_PERIODIC}`;

type Deps = { db: Db; bus: EventBus; config: Readonly<Config>; storage: Storage };

/** The `auto_assignment` task: one inbox's Assignment V2 run (AutoAssignment::AssignmentJob). */
export function autoAssignmentTask(deps: Deps): Task {
  return async (payload) => {
    const job = payload as AutoAssignmentJob;
    const account = await deps.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', job.account_id)
      .executeTakeFirst();
    if (!account) return;
    await assignInbox({ ...deps, account }, job.inbox_id);
  };
}

/** The `auto_assignment_periodic` task: queues a run for every inbox that has a policy, in accounts with V2. */
export function autoAssignmentPeriodicTask(deps: Pick<Deps, 'db'>): Task {
  return async () => {
    const rows = await deps.db
      .selectFrom('inbox_assignment_policies as iap')
      .innerJoin('inboxes as i', 'i.id', 'iap.inbox_id')
      .innerJoin('accounts as a', 'a.id', 'iap.account_id')
      .select(['iap.account_id', 'iap.inbox_id', 'a.features'])
      .where('i.enable_auto_assignment', '=', true)
      .execute();
    for (const row of rows) {
      if (assignmentV2(row.features))
        await queueInboxRun(deps.db, { account_id: row.account_id, inbox_id: row.inbox_id });
    }
  };
}
