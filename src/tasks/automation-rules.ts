import type { Task } from 'graphile-worker';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/kysely.js';
import type { EventBus } from '../core/events/bus.js';
import type { Storage } from '../core/storage/storage.js';
import type { AutomationJob } from '../domains/automation-rules/listener.js';
import { noteInvalidRules } from '../domains/automation-rules/reauthorize.js';
import { runAutomationEvent } from '../domains/automation-rules/run.js';

export { AUTOMATION_RULES } from '../domains/automation-rules/listener.js';

/**
 * The `automation_rules` task: runs an account's active rules for one event, each rule in its own
 * transaction with its run record, claimed by (rule, event key): a retry after a crash runs only
 * the rules whose transaction did not commit, so every rule runs exactly once per event.
 */
export function automationRulesTask(deps: { db: Db; bus: EventBus; config: Readonly<Config>; storage: Storage }): Task {
  return async (payload) => {
    await runAutomationEvent(deps, payload as AutomationJob);
    // Reauthorizable: rules whose conditions no longer validate count towards being deactivated
    await noteInvalidRules(deps.db, payload as AutomationJob);
  };
}
