import type { Task } from 'graphile-worker';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/kysely.js';
import type { EventBus } from '../core/events/bus.js';
import type { Storage } from '../core/storage/storage.js';
import { jobContext } from '../core/http/account-scope.js';
import { applyBulkAction } from '../domains/bulk-actions/apply.js';
import type { BulkActionJob } from '../domains/bulk-actions/service.js';

export { BULK_ACTIONS } from '../domains/bulk-actions/service.js';

/**
 * The `bulk_actions` task (Chatwoot's BulkActionsJob and Contacts::BulkActionJob): applies a queued
 * bulk action as the user who asked for it. Each record changes in its own transaction, so a retry
 * after a crash finds the records already done unchanged and writes nothing twice.
 */
export function bulkActionsTask(deps: { db: Db; bus: EventBus; config: Readonly<Config>; storage: Storage }): Task {
  return async (payload) => {
    const job = payload as BulkActionJob;
    const ctx = await jobContext(deps, job);
    if (ctx) await applyBulkAction(ctx, job);
  };
}
