import { ANY_PLAN } from '../../core/db/prepared.js';
import type { Conversation } from '../../core/db/schema.js';
import { unprocessable } from '../../core/errors.js';
import type { AccountWork } from '../../core/http/account-scope.js';
import { CONVERSATION_PRIORITIES, enumName, CONVERSATION_PRIORITY } from '../../core/db/enums.js';
import { ACTIVITY, actorName, writeActivity } from './activity.js';

/** Reads a priority name; null or "" clears it (Chatwoot's `param.presence`). */
export function priorityValue(raw: string | null | undefined): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (!Object.hasOwn(CONVERSATION_PRIORITY, raw)) throw unprocessable(`'${raw}' is not a valid priority`);
  return CONVERSATION_PRIORITY[raw as keyof typeof CONVERSATION_PRIORITY];
}

/** Sets the priority with Chatwoot's activity message (set / changed / removed). */
export async function setPriority(
  work: AccountWork,
  { conversation, priority: raw }: { conversation: Conversation; priority: string | null },
): Promise<Conversation> {
  const { ctx, tx, batch } = work;
  const value = priorityValue(raw);
  if (value === conversation.priority) return conversation;
  const updated = await tx
    .updateTable('conversations')
    .set({ priority: value, updated_at: new Date() })
    .where('id', '=', conversation.id)
    .returningAll()
    .modifyEnd(ANY_PLAN)
    .executeTakeFirstOrThrow();
  const user = actorName(ctx);
  const name = (v: number) => enumName(CONVERSATION_PRIORITIES, v);
  const content =
    conversation.priority === null
      ? ACTIVITY.priority.added(user, name(value!))
      : value === null
        ? ACTIVITY.priority.removed(user)
        : ACTIVITY.priority.updated(user, name(conversation.priority), name(value));
  await writeActivity(work, { conversation: updated, content });
  batch.emit('conversation.updated', {
    accountId: ctx.account.id,
    conversationId: conversation.id,
    changedAttributes: ['priority'],
    changes: { priority: [conversation.priority, value] },
  });
  return updated;
}
