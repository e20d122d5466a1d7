import type { Conversation } from '../../core/db/schema.js';
import type { AccountWork } from '../../core/http/account-scope.js';
import { ACTION_HANDLERS } from './registry.js';
import type { ActionEntry, ActionOutcome } from './types.js';

/**
 * Runs a rule's or macro's actions on one conversation, in order, inside the caller's transaction
 * (`work`), each on the conversation as the previous one left it. Returns what each did.
 */
export async function performActions(
  work: AccountWork,
  { conversation, actions }: { conversation: Conversation; actions: readonly ActionEntry[] },
): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  let current = conversation;
  for (const action of actions) {
    const handler = ACTION_HANDLERS[action.action_name];
    if (!handler) {
      outcomes.push({ action_name: action.action_name, applied: false, error: 'unsupported action' });
      continue;
    }
    current = await handler.run(work, { conversation: current, params: action.action_params ?? [] });
    outcomes.push({ action_name: action.action_name, applied: true });
  }
  return outcomes;
}
