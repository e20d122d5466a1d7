import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { CONVERSATION_STATUS } from '../../core/db/enums.js';
import type { Actor } from '../../core/http/auth.js';
import type { EventBatch, Performer, TextMessageInterest, TransactionalListener } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { autoAssignLegacy, type AssignedBy } from './assign.js';
import { queueInboxRun } from './queue.js';
import { assignmentV2 } from './run-inbox.js';

export { AUTO_ASSIGNMENT, queueInboxRun, type AutoAssignmentJob } from './queue.js';

/**
 * A new message never opens a conversation on the single-statement paths (they take open and
 * pending conversations only), so auto-assignment never has work for one.
 */
export const autoAssignmentTextMessageInterest: TextMessageInterest = () => sql<boolean>`false`;

type Deps = Omit<AccountCtx, 'account' | 'actor' | 'accountUser'>;

/**
 * Chatwoot's AutoAssignmentHandler (Conversation after_save) as a transactional listener: a
 * conversation created open, or whose status became open, in an inbox with enable_auto_assignment
 * and without an assignee who is an inbox member, gets one in the same transaction (legacy
 * round robin), or — with the account's assignment_v2 — its inbox's V2 run is queued, also when
 * the status became resolved or snoozed (capacity was freed). Subscribed before the webhook and
 * notification listeners, so conversation_created carries the assignee, as Chatwoot's after-commit
 * webhook does.
 */
export function autoAssignmentListener(deps: Deps): TransactionalListener {
  return async (tx, events, followUps) => {
    const wanted = new Map<number, { accountId: number; performer: Performer | undefined; freed: boolean }>();
    for (const event of events) {
      if (event.name === 'conversation.created') {
        wanted.set(event.payload.conversationId, {
          accountId: event.payload.accountId,
          performer: event.payload.performer,
          freed: false,
        });
      } else if (event.name === 'conversation.status_changed') {
        const seen = wanted.get(event.payload.conversationId);
        wanted.set(event.payload.conversationId, {
          accountId: event.payload.accountId,
          performer: seen?.performer ?? event.payload.performer,
          freed: true,
        });
      }
    }
    if (wanted.size === 0) return;
    const rows = await tx
      .selectFrom('conversations as c')
      .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
      .innerJoin('accounts as a', 'a.id', 'c.account_id')
      .select(['c.id', 'c.status', 'c.assignee_id', 'c.inbox_id', 'a.features'])
      .where('c.id', 'in', [...wanted.keys()])
      .where('i.enable_auto_assignment', '=', true)
      .execute();
    for (const row of rows) {
      const cause = wanted.get(row.id)!;
      const open = row.status === CONVERSATION_STATUS.open;
      if (assignmentV2(row.features)) {
        const freedCapacity =
          cause.freed && (row.status === CONVERSATION_STATUS.resolved || row.status === CONVERSATION_STATUS.snoozed);
        if (open || freedCapacity) await queueInboxRun(tx, { account_id: cause.accountId, inbox_id: row.inbox_id });
        continue;
      }
      if (!open) continue;
      await assignLegacy(deps, tx, followUps, { conversationId: row.id, inboxId: row.inbox_id, ...cause });
    }
  };
}

async function assignLegacy(
  deps: Deps,
  tx: Db,
  batch: EventBatch,
  input: { conversationId: number; inboxId: number; accountId: number; performer: Performer | undefined },
) {
  const [account, inbox] = await Promise.all([
    tx.selectFrom('accounts').selectAll().where('id', '=', input.accountId).executeTakeFirstOrThrow(),
    tx
      .selectFrom('inboxes')
      .selectAll()
      .where('account_id', '=', input.accountId)
      .where('id', '=', input.inboxId)
      .executeTakeFirstOrThrow(),
  ]);
  const { actor, by } = await causeOf(tx, inbox.id, input.performer);
  const ctx: AccountCtx = { ...deps, account, actor, accountUser: undefined };
  await autoAssignLegacy({ ctx, tx, batch }, { conversationId: input.conversationId, inbox, by });
}

/**
 * Legacy auto-assignment runs inside the change that opened the conversation (an after_save), so its
 * Current.user and Current.executed_by are that change's: a user's or bot's change names the
 * activity message ("Assigned to X by <user>", or "<user> self-assigned this conversation") and
 * performs the events; a rule's is "Automation System", performed by the rule. A contact's change,
 * or the system's, leaves no activity message (ActivityMessageHandler has neither a user name nor
 * executed_by) and its own performer on the events; the inbox's auto-assignment is the actor then.
 */
async function causeOf(
  tx: Db,
  inboxId: number,
  performer: Performer | undefined,
): Promise<{ actor: Actor; by: AssignedBy }> {
  if (performer?.type === 'User') {
    const user = await tx.selectFrom('users').selectAll().where('id', '=', performer.id).executeTakeFirst();
    if (user) return { actor: { kind: 'user', user }, by: undefined };
  } else if (performer?.type === 'AgentBot') {
    const bot = await tx.selectFrom('agent_bots').selectAll().where('id', '=', performer.id).executeTakeFirst();
    if (bot) return { actor: { kind: 'agent_bot', bot }, by: undefined };
  } else if (performer?.type === 'AutomationRule') {
    return { actor: { kind: 'automation', rule: { id: performer.id, name: '' } }, by: undefined };
  }
  return { actor: { kind: 'system', executedBy: { type: 'Inbox', id: inboxId } }, by: { name: null, performer } };
}
