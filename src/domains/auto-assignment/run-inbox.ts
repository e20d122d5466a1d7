import { sql } from 'kysely';
import { featureEnabled } from '../../core/db/account-features.js';
import { ASSIGNMENT_ORDERS, ASSIGNMENT_PRIORITIES, CONVERSATION_STATUS, enumValue } from '../../core/db/enums.js';
import { transactionally } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { assignOneV2, type InboxRules } from './assign.js';
import { lockInbox } from '../conversations/round-robin.js';
import { queueInboxRun } from './queue.js';

/** AUTO_ASSIGNMENT_BULK_LIMIT: conversations one run assigns at most. */
export const BULK_LIMIT = 100;
/** How long a run waits before retrying conversations other transactions held. */
const BUSY_RETRY_MS = 2_000;

/** Assignment V2 is on for the account (Inbox#auto_assignment_v2_enabled?). */
export const assignmentV2 = (features: Record<string, boolean>) => featureEnabled(features, 'assignment_v2');

/** An account's context for a job that acts as nobody in particular: the run names its own actor. */
export type SystemCtx = Omit<AccountCtx, 'actor' | 'accountUser'>;

/**
 * AutoAssignment::AssignmentJob → AssignmentService#perform_bulk_assignment: the inbox's open
 * unassigned conversations (oldest first, or longest waiting by the policy), each assigned in a
 * transaction of its own under the inbox's lock, by the system: Current.executed_by is the inbox's
 * assignment policy, or the inbox without one, and there is no Current.user — so the activity
 * says "Assigned to <agent> by Automation System" and the events' performer is the policy or inbox.
 * Returns how many it assigned.
 */
export async function assignInbox(base: SystemCtx, inboxId: number): Promise<number> {
  const { db, account } = base;
  if (!assignmentV2(account.features)) return 0;
  const inbox = await db
    .selectFrom('inboxes')
    .selectAll()
    .where('account_id', '=', account.id)
    .where('id', '=', inboxId)
    .executeTakeFirst();
  if (!inbox?.enable_auto_assignment) return 0;
  const rules = await inboxRules(base, inboxId);
  const ctx: AccountCtx = {
    ...base,
    actor: {
      kind: 'system',
      executedBy:
        rules.policyId === null ? { type: 'Inbox', id: inbox.id } : { type: 'AssignmentPolicy', id: rules.policyId },
    },
    accountUser: undefined,
  };
  // what the window no longer counts (Chatwoot's keys expire with the window; 24 hours without a policy)
  await db
    .deleteFrom('auto_assignments')
    .where('account_id', '=', account.id)
    .where('inbox_id', '=', inboxId)
    .where(sql<boolean>`assigned_at < now() - make_interval(secs => ${rules.fair?.windowSeconds ?? 86_400})`)
    .execute();
  let query = db
    .selectFrom('conversations')
    .select('id')
    .where('account_id', '=', account.id)
    .where('inbox_id', '=', inboxId)
    .where('status', '=', CONVERSATION_STATUS.open)
    .where('assignee_id', 'is', null);
  if (rules.excludedLabels.length)
    query = query.where(
      sql<boolean>`not exists (select 1 from taggings t where t.taggable_type = 'Conversation'
        and t.taggable_id = conversations.id and t.name in (${sql.join(rules.excludedLabels)}))`,
    );
  if (rules.excludeOlderThanHours !== null)
    query = query.where(sql<boolean>`created_at >= now() - make_interval(hours => ${rules.excludeOlderThanHours})`);
  query = rules.longestWaiting
    ? query.orderBy('last_activity_at').orderBy('created_at').orderBy('id')
    : query.orderBy('created_at').orderBy('id');
  const rows = await query.limit(BULK_LIMIT).execute();
  let assigned = 0;
  let busy = false;
  for (const { id } of rows) {
    const done = await transactionally(ctx, async (tx, batch) => {
      await lockInbox(tx, inboxId);
      return assignOneV2({ ctx, tx, batch }, { conversationId: id, inbox, rules });
    });
    if (done === 'busy') busy = true;
    else if (done) assigned += 1;
  }
  // a conversation another transaction held is tried again by a run shortly after
  if (busy)
    await queueInboxRun(db, { account_id: account.id, inbox_id: inboxId }, new Date(Date.now() + BUSY_RETRY_MS));
  return assigned;
}

/** The inbox's policy and the enterprise additions (balanced order, capacity, exclusion rules). */
async function inboxRules(ctx: SystemCtx, inboxId: number): Promise<InboxRules & { policyId: number | null }> {
  const { db, account } = ctx;
  const advanced = featureEnabled(account.features, 'advanced_assignment');
  const [policy, capacityUsed, exclusion] = await Promise.all([
    db
      .selectFrom('inbox_assignment_policies as iap')
      .innerJoin('assignment_policies as ap', 'ap.id', 'iap.assignment_policy_id')
      .selectAll('ap')
      .where('iap.account_id', '=', account.id)
      .where('iap.inbox_id', '=', inboxId)
      .executeTakeFirst(),
    db
      .selectFrom('account_users')
      .select('id')
      .where('account_id', '=', account.id)
      .where('agent_capacity_policy_id', 'is not', null)
      .executeTakeFirst(),
    db
      .selectFrom('inbox_capacity_limits as l')
      .innerJoin('agent_capacity_policies as p', 'p.id', 'l.agent_capacity_policy_id')
      .select('p.exclusion_rules')
      .where('l.account_id', '=', account.id)
      .where('l.inbox_id', '=', inboxId)
      .orderBy('l.id')
      .executeTakeFirst(),
  ]);
  const rules = (advanced ? exclusion?.exclusion_rules : undefined) ?? {};
  const labels = Array.isArray(rules.excluded_labels)
    ? rules.excluded_labels.filter((label): label is string => typeof label === 'string')
    : [];
  const hours = Number(rules.exclude_older_than_hours);
  return {
    order:
      advanced && policy?.assignment_order === enumValue(ASSIGNMENT_ORDERS, 'balanced') ? 'balanced' : 'round_robin',
    fair: policy ? { limit: policy.fair_distribution_limit, windowSeconds: policy.fair_distribution_window } : null,
    capacity: advanced && capacityUsed !== undefined,
    longestWaiting: policy?.conversation_priority === enumValue(ASSIGNMENT_PRIORITIES, 'longest_waiting'),
    excludedLabels: labels,
    excludeOlderThanHours: Number.isInteger(hours) && hours > 0 ? hours : null,
    policyId: policy?.id ?? null,
  };
}
