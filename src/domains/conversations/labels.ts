// A conversation's labels: GET and POST .../conversations/:conversation_id/labels.
import { ANY_PLAN } from '../../core/db/prepared.js';
import type { Conversation } from '../../core/db/schema.js';
import { transactionally } from '../../core/events/bus.js';
import type { AccountCtx, AccountWork } from '../../core/http/account-scope.js';
import { changeLabels, labelsOf, type LabelChange } from '../labels/taggings.js';
import { ACTIVITY, actorName, writeActivity } from './activity.js';
import { fetchConversation } from './access.js';

export async function conversationLabels(ctx: AccountCtx, displayId: string): Promise<string[]> {
  return labelsOf(ctx.db, 'Conversation', (await fetchConversation(ctx, displayId)).id);
}

/** POST .../labels replaces the list; Chatwoot writes "X added a, b" and "X removed c". */
export async function setConversationLabels(ctx: AccountCtx, displayId: string, labels: string[]): Promise<string[]> {
  const conversation = await fetchConversation(ctx, displayId);
  await transactionally(ctx, async (tx, batch) => {
    await tx.selectFrom('conversations').select('id').where('id', '=', conversation.id).forUpdate().execute();
    await applyConversationLabels({ ctx, tx, batch }, { conversation, add: labels, remove: 'others' });
  });
  return labelsOf(ctx.db, 'Conversation', conversation.id);
}

/**
 * Changes a (locked) conversation's labels (changeLabels), with the activity messages and the
 * `conversation.updated` event of a change; the single route, bulk actions and rules come here.
 */
export async function applyConversationLabels(
  work: AccountWork,
  { conversation, add, remove }: { conversation: Conversation } & Pick<LabelChange, 'add' | 'remove'>,
): Promise<void> {
  const { ctx, tx, batch } = work;
  const { previous, added, removed, after } = await changeLabels(tx, {
    accountId: ctx.account.id,
    taggableType: 'Conversation',
    taggableId: conversation.id,
    add,
    remove,
  });
  if (added.length)
    await writeActivity({ tx, batch }, { conversation, content: ACTIVITY.labels.added(actorName(ctx), added) });
  if (removed.length)
    await writeActivity({ tx, batch }, { conversation, content: ACTIVITY.labels.removed(actorName(ctx), removed) });
  if (added.length || removed.length) {
    await tx
      .updateTable('conversations')
      .set({ updated_at: new Date() })
      .where('id', '=', conversation.id)
      .modifyEnd(ANY_PLAN)
      .execute();
    batch.emit('conversation.updated', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      changedAttributes: ['label_list'],
      changes: { label_list: [previous, after] },
    });
  }
}
