import type { Db } from '../../core/db/kysely.js';
import type { Conversation, Inbox } from '../../core/db/schema.js';
import { CONVERSATION_STATUS } from '../../core/db/enums.js';
import type { Performer } from '../../core/events/bus.js';
import type { AccountWork } from '../../core/http/account-scope.js';
import { assignConversation } from '../conversations/assignments.js';
import { lockInbox, maxAssignmentLimit, pickAgent, type PickRules } from '../conversations/round-robin.js';

/** Who an auto-assignment's activity message and event name (see assignConversation's `by`). */
export type AssignedBy = { name: string | null; performer: Performer | undefined } | undefined;

/**
 * The conversation still wants an agent (AutoAssignmentHandler#should_run_auto_assignment?): open,
 * and no assignee or one who is no longer a member of the inbox.
 */
export async function wantsAgent(tx: Db, conversation: Conversation): Promise<boolean> {
  if (conversation.status !== CONVERSATION_STATUS.open) return false;
  if (conversation.assignee_id === null) return true;
  const member = await tx
    .selectFrom('inbox_members')
    .select('id')
    .where('inbox_id', '=', conversation.inbox_id)
    .where('user_id', '=', conversation.assignee_id)
    .executeTakeFirst();
  return !member;
}

/**
 * The agents a team allows (AutoAssignmentHandler#team_member_ids_with_capacity): none when the
 * conversation's team does not allow auto-assignment; undefined when it has no team.
 */
async function teamRule(tx: Db, conversation: Conversation): Promise<number | null | 'none'> {
  if (conversation.team_id === null) return null;
  const team = await tx
    .selectFrom('teams')
    .select(['id', 'allow_auto_assign'])
    .where('account_id', '=', conversation.account_id)
    .where('id', '=', conversation.team_id)
    .executeTakeFirst();
  return team?.allow_auto_assign ? team.id : 'none';
}

/**
 * Legacy auto-assignment (AutoAssignment::AgentAssignmentService with the enterprise
 * max_assignment_limit), in the transaction that opened the conversation: the online inbox member
 * (or team member) nearest the round-robin queue's tail who holds fewer open conversations in the
 * inbox than the limit, assigned through assignConversation. Does nothing when nobody qualifies.
 */
export async function autoAssignLegacy(
  work: AccountWork,
  { conversationId, inbox, by }: { conversationId: number; inbox: Inbox; by: AssignedBy },
): Promise<Conversation | undefined> {
  const { tx } = work;
  await lockInbox(tx, inbox.id);
  const conversation = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', conversationId)
    .where('account_id', '=', inbox.account_id)
    .forUpdate()
    .executeTakeFirst();
  if (!conversation || conversation.inbox_id !== inbox.id || !(await wantsAgent(tx, conversation))) return undefined;
  const team = await teamRule(tx, conversation);
  if (team === 'none') return undefined;
  const agentId = await pickAgent(tx, {
    accountId: inbox.account_id,
    inboxId: inbox.id,
    teamId: team,
    maxOpen: maxAssignmentLimit(inbox.auto_assignment_config),
    fair: null,
    capacity: false,
    order: 'round_robin',
  });
  if (agentId === undefined) return undefined;
  return assignConversation(work, { conversation, assigneeId: agentId, by });
}

/** What Assignment V2 applies in an inbox (AutoAssignment::AssignmentService with the enterprise module). */
export interface InboxRules {
  order: PickRules['order'];
  fair: PickRules['fair'];
  capacity: boolean;
  longestWaiting: boolean;
  /** The inbox's capacity policy exclusion rules (enterprise apply_exclusion_rules). */
  excludedLabels: string[];
  excludeOlderThanHours: number | null;
}

/**
 * One V2 assignment (perform_for_conversation + claim_and_assign): the conversation, if still open
 * and unassigned, goes to the agent the inbox's policy picks; the assignment is recorded for the
 * fair-distribution window. Returns whether it assigned, or `busy` when another transaction holds the
 * conversation: that one took the conversation's row before the inbox lock we hold, and waiting for
 * it here would close a circle, so the conversation is left for a later run. Call it holding lockInbox.
 */
export async function assignOneV2(
  work: AccountWork,
  { conversationId, inbox, rules }: { conversationId: number; inbox: Inbox; rules: InboxRules },
): Promise<boolean | 'busy'> {
  const { tx } = work;
  const ofInbox = tx
    .selectFrom('conversations')
    .where('id', '=', conversationId)
    .where('account_id', '=', inbox.account_id)
    .where('inbox_id', '=', inbox.id);
  const conversation = await ofInbox.selectAll().forUpdate().skipLocked().executeTakeFirst();
  if (!conversation) return (await ofInbox.select('id').executeTakeFirst()) ? 'busy' : false;
  if (conversation.status !== CONVERSATION_STATUS.open || conversation.assignee_id !== null) return false;
  const team = await teamRule(tx, conversation);
  if (team === 'none') return false;
  const agentId = await pickAgent(tx, {
    accountId: inbox.account_id,
    inboxId: inbox.id,
    teamId: team,
    maxOpen: null,
    fair: rules.fair,
    capacity: rules.capacity,
    order: rules.order,
  });
  if (agentId === undefined) return false;
  await assignConversation(work, { conversation, assigneeId: agentId });
  await tx
    .insertInto('auto_assignments')
    .values({ account_id: inbox.account_id, inbox_id: inbox.id, user_id: agentId, conversation_id: conversation.id })
    .execute();
  return true;
}
