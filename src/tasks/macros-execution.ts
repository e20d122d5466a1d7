import type { Task } from 'graphile-worker';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/kysely.js';
import type { EventBus } from '../core/events/bus.js';
import type { Storage } from '../core/storage/storage.js';
import { jobContext } from '../core/http/account-scope.js';
import { runMacro } from '../domains/macros/execute.js';
import type { MacroExecutionJob } from '../domains/macros/service.js';

export { MACROS_EXECUTION } from '../domains/macros/service.js';

/**
 * The `macros_execution` task (Chatwoot's MacrosExecutionJob): runs a macro as the user who asked
 * for it; nothing when the user is no longer a member of the account.
 */
export function macrosExecutionTask(deps: { db: Db; bus: EventBus; config: Readonly<Config>; storage: Storage }): Task {
  return async (payload, helpers) => {
    const job = payload as MacroExecutionJob;
    const ctx = await jobContext(deps, job);
    if (ctx) await runMacro(ctx, job, helpers.job.id);
  };
}
