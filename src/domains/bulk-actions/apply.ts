import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import { transactionally } from '../../core/events/bus.js';
import { performerOf, type AccountCtx, type AccountWork } from '../../core/http/account-scope.js';
import { visibilityOf, visiblePredicate } from '../conversations/access.js';
import { actorName } from '../conversations/activity.js';
import { assignConversation, assignTeam } from '../conversations/assignments.js';
import { applyConversationLabels } from '../conversations/labels.js';
import { setStatus } from '../conversations/status.js';
import { removeContact } from '../contacts/service.js';
import { changeLabels } from '../labels/taggings.js';
import type { BulkActionJob } from './service.js';

/** Runs a queued bulk action as its user. */
export async function applyBulkAction(ctx: AccountCtx, job: BulkActionJob): Promise<void> {
  if (job.type === 'Conversation') await applyToConversations(ctx, job);
  else await applyToContacts(ctx, job);
}

/**
 * BulkActionsJob: the account's conversations with these display ids that the user may see, each
 * in its own transaction through the single-conversation helpers (so the same activity messages,
 * events, webhooks and notifications): labels removed and added, then assignee, team and status.
 */
async function applyToConversations(ctx: AccountCtx, job: BulkActionJob): Promise<void> {
  const visibility = await visibilityOf(ctx);
  const rows = await ctx.db
    .selectFrom('conversations')
    .select('id')
    .where('account_id', '=', ctx.account.id)
    .where('display_id', 'in', job.ids)
    .where(visiblePredicate(visibility, 'conversations'))
    .orderBy('display_id')
    .execute();
  for (const { id } of rows) {
    await transactionally(ctx, async (tx, batch) => {
      const conversation = await lock(tx, id);
      if (conversation) await applyToConversation({ ctx, tx, batch }, conversation, job);
    });
  }
}

const lock = (tx: Db, id: number) =>
  tx.selectFrom('conversations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

async function applyToConversation(work: AccountWork, conversation: Conversation, job: BulkActionJob) {
  const { add, remove } = job.labels;
  if (add.length || remove.length) {
    await applyConversationLabels(work, { conversation, add, remove });
  }
  let current = conversation;
  const { fields } = job;
  if (fields.assignee_id !== undefined) {
    current = await assignConversation(work, { conversation: current, assigneeId: fields.assignee_id });
  }
  // after the assignee, as Chatwoot's before_save drops an assignee who is not in the new team
  if (fields.team_id !== undefined) current = await assignTeam(work, { conversation: current, teamId: fields.team_id });
  if (fields.status) {
    await setStatus(work, {
      conversation: current,
      status: fields.status,
      cause: { kind: 'actor', name: actorName(work.ctx), performer: performerOf(work.ctx) },
      snoozedUntil: job.snoozed_until ? new Date(job.snoozed_until) : null,
    });
  }
}

/**
 * Contacts::BulkActionService: `action_name: delete` destroys the account's contacts with these
 * ids (checked for administrators when queued); else `labels.add` adds labels to them. Anything
 * else does nothing, as Chatwoot only logs it.
 */
async function applyToContacts(ctx: AccountCtx, job: BulkActionJob): Promise<void> {
  const deleting = job.action_name === 'delete';
  if (!deleting && job.labels.add.length === 0) return;
  const contacts = await ctx.db
    .selectFrom('contacts')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('id', 'in', job.ids)
    .orderBy('id')
    .execute();
  for (const contact of contacts) {
    if (deleting) {
      await transactionally(ctx, (tx, batch) => removeContact({ ctx, tx, batch }, { contact }));
      continue;
    }
    await changeLabels(ctx.db, {
      accountId: ctx.account.id,
      taggableType: 'Contact',
      taggableId: contact.id,
      add: job.labels.add,
      remove: [],
    });
  }
}
