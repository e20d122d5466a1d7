import { ANY_PLAN } from '../../core/db/prepared.js';
import { sql } from 'kysely';
import type { Conversation } from '../../core/db/schema.js';
import type { AccountWork } from '../../core/http/account-scope.js';
import { actionHandler } from './registry.js';
import type { ActionEntry, ActionOutcome } from './types.js';

const SAVEPOINT = sql.raw('automation_action');

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs a rule's or macro's actions on one conversation, in order, inside the caller's transaction
 * (`work`), each on the conversation as the previous one left it (Chatwoot reloads it before each).
 * As ActionService rescues and goes on, an action that fails is rolled back alone — to a savepoint,
 * with the events it emitted dropped — and recorded with its error; the next one still runs.
 * Returns what each did.
 */
export async function performActions(
  work: AccountWork,
  input: { conversation: Conversation; actions: readonly ActionEntry[] },
): Promise<ActionOutcome[]> {
  return (await runActions(work, input)).outcomes;
}

/** performActions, with the conversation as the actions left it (read after the last one). */
export async function runActions(
  work: AccountWork,
  { conversation, actions }: { conversation: Conversation; actions: readonly ActionEntry[] },
): Promise<{ outcomes: ActionOutcome[]; conversation: Conversation }> {
  const outcomes: ActionOutcome[] = [];
  let current = conversation;
  for (const action of actions) {
    const handler = actionHandler(action.action_name);
    if (!handler) {
      outcomes.push({ action_name: action.action_name, applied: false, error: 'unsupported action' });
      continue;
    }
    const params = Array.isArray(action.action_params) ? action.action_params : [];
    const emitted = work.batch.events.length;
    await sql`savepoint ${SAVEPOINT}`.execute(work.tx);
    try {
      await handler.run(work, { conversation: current, params });
      await sql`release savepoint ${SAVEPOINT}`.execute(work.tx);
      outcomes.push({ action_name: action.action_name, applied: true });
    } catch (error) {
      await sql`rollback to savepoint ${SAVEPOINT}`.execute(work.tx);
      await sql`release savepoint ${SAVEPOINT}`.execute(work.tx);
      work.batch.events.length = emitted;
      outcomes.push({ action_name: action.action_name, applied: false, error: messageOf(error) });
    }
    current =
      (await work.tx
        .selectFrom('conversations')
        .modifyFront(ANY_PLAN)
        .selectAll()
        .where('id', '=', conversation.id)
        .where('account_id', '=', work.ctx.account.id)
        .executeTakeFirst()) ?? current;
  }
  return { outcomes, conversation: current };
}

/** What performActions records for actions that all ran without changing anything: each applied. */
export const appliedOutcomes = (actions: readonly ActionEntry[]): ActionOutcome[] =>
  (Array.isArray(actions) ? actions : []).map((action) => ({ action_name: action.action_name, applied: true }));
