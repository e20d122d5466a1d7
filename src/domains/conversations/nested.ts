import { transactionally } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { listAgentViews } from '../agents/queries.js';
import { labelsOf, replaceLabels } from '../labels/taggings.js';
import { agentJson, type AgentJson } from '../../serializers/agent.js';
import { ATTACHMENT_FILE_TYPES, enumName } from '../../core/db/enums.js';
import { senderJson } from '../../serializers/message.js';
import { epochSeconds } from '../../serializers/time.js';
import { ACTIVITY, actorName, writeActivity } from './activity.js';
import { fetchConversation } from './access.js';
import { loadMessageViews } from './views.js';

/** Labels, participants and attachments of one conversation. */

export async function conversationLabels(ctx: AccountCtx, displayId: string): Promise<string[]> {
  return labelsOf(ctx.db, 'Conversation', (await fetchConversation(ctx, displayId)).id);
}

/** POST .../labels replaces the list; Chatwoot writes "X added a, b" and "X removed c". */
export async function setConversationLabels(ctx: AccountCtx, displayId: string, labels: string[]): Promise<string[]> {
  const conversation = await fetchConversation(ctx, displayId);
  await transactionally(ctx, async (tx, batch) => {
    await tx.selectFrom('conversations').select('id').where('id', '=', conversation.id).forUpdate().execute();
    const previous = await labelsOf(tx, 'Conversation', conversation.id);
    const { added, removed } = await replaceLabels(tx, ctx.account.id, 'Conversation', conversation.id, labels);
    if (added.length) await writeActivity(tx, batch, conversation, ACTIVITY.labels.added(actorName(ctx), added));
    if (removed.length) await writeActivity(tx, batch, conversation, ACTIVITY.labels.removed(actorName(ctx), removed));
    if (added.length || removed.length) {
      await tx.updateTable('conversations').set({ updated_at: new Date() }).where('id', '=', conversation.id).execute();
      batch.emit('conversation.updated', {
        accountId: ctx.account.id, conversationId: conversation.id, changedAttributes: ['label_list'],
        changes: { label_list: [previous, await labelsOf(tx, 'Conversation', conversation.id)] },
      });
    }
  });
  return labelsOf(ctx.db, 'Conversation', conversation.id);
}

async function participantIds(ctx: AccountCtx, conversationId: number): Promise<number[]> {
  const rows = await ctx.db.selectFrom('conversation_participants').select('user_id').where('conversation_id', '=', conversationId).orderBy('id').execute();
  return rows.map((r) => r.user_id);
}

async function agentsOf(ctx: AccountCtx, userIds: number[]): Promise<AgentJson[]> {
  const views = await listAgentViews(ctx.db, ctx.account.id, userIds);
  const byId = new Map(views.map((v) => [v.user.id, v]));
  return userIds.flatMap((id) => (byId.has(id) ? [agentJson(byId.get(id)!)] : []));
}

export async function listParticipants(ctx: AccountCtx, displayId: string): Promise<AgentJson[]> {
  const conversation = await fetchConversation(ctx, displayId);
  return agentsOf(ctx, await participantIds(ctx, conversation.id));
}

/** Users who may take part: the inbox's members and the account's administrators (assignable agents). */
async function eligible(ctx: AccountCtx, inboxId: number, raw: unknown[] | undefined): Promise<number[]> {
  const ids = [...new Set((raw ?? []).map((v) => parseId(v)).filter((v): v is number => v !== undefined))];
  if (ids.length === 0) return [];
  const rows = await ctx.db.selectFrom('account_users').select('account_users.user_id')
    .where('account_users.account_id', '=', ctx.account.id).where('account_users.user_id', 'in', ids)
    .where((eb) => eb.or([
      eb('account_users.role', '=', 1),
      eb.exists(eb.selectFrom('inbox_members').select('inbox_members.id')
        .whereRef('inbox_members.user_id', '=', 'account_users.user_id').where('inbox_members.inbox_id', '=', inboxId)),
    ]))
    .execute();
  const allowed = new Set(rows.map((r) => r.user_id));
  return ids.filter((id) => allowed.has(id));
}

/**
 * POST adds (answers the newly added), PATCH makes the list exactly the given users (answers all),
 * DELETE removes the given users. Users without access to the inbox are left out, as Chatwoot's
 * validation silently drops them.
 */
export async function changeParticipants(ctx: AccountCtx, displayId: string, mode: 'add' | 'replace' | 'remove', raw: unknown[] | undefined): Promise<AgentJson[]> {
  const conversation = await fetchConversation(ctx, displayId);
  const current = await participantIds(ctx, conversation.id);
  if (mode === 'remove') {
    const ids = (raw ?? []).map((v) => parseId(v)).filter((v): v is number => v !== undefined);
    if (ids.length) await ctx.db.deleteFrom('conversation_participants').where('conversation_id', '=', conversation.id).where('user_id', 'in', ids).execute();
    return [];
  }
  const wanted = await eligible(ctx, conversation.inbox_id, raw);
  const added = wanted.filter((id) => !current.includes(id));
  await ctx.db.transaction().execute(async (tx) => {
    if (added.length) {
      await tx.insertInto('conversation_participants')
        .values(added.map((user_id) => ({ account_id: ctx.account.id, conversation_id: conversation.id, user_id })))
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing()).execute();
    }
    const dropped = current.filter((id) => !wanted.includes(id));
    if (mode === 'replace' && dropped.length) {
      await tx.deleteFrom('conversation_participants').where('conversation_id', '=', conversation.id).where('user_id', 'in', dropped).execute();
    }
  });
  return mode === 'add' ? agentsOf(ctx, added) : agentsOf(ctx, await participantIds(ctx, conversation.id));
}

/** GET .../attachments: newest first, 100 a page, with the total. */
export async function conversationAttachments(ctx: AccountCtx, displayId: string, page = 1) {
  const conversation = await fetchConversation(ctx, displayId);
  const base = ctx.db.selectFrom('attachments').innerJoin('messages', 'messages.id', 'attachments.message_id')
    .where('messages.conversation_id', '=', conversation.id);
  const [rows, total] = await Promise.all([
    base.selectAll('attachments').orderBy('attachments.created_at', 'desc').orderBy('attachments.id', 'desc')
      .limit(100).offset((Math.max(1, page) - 1) * 100).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const messages = rows.length ? await ctx.db.selectFrom('messages').selectAll().where('id', 'in', [...new Set(rows.map((r) => r.message_id))]).execute() : [];
  const views = new Map((await loadMessageViews(ctx.db, ctx.account.id, messages, () => ({
    display_id: conversation.display_id, assignee_id: null, unread_count: 0, last_activity_at: conversation.last_activity_at, source_id: null,
  }))).map((v) => [v.message.id, v]));
  return {
    meta: { total_count: Number(total.n) },
    payload: rows.map((a) => {
      const view = views.get(a.message_id)!;
      return {
        message_id: a.message_id,
        thumb_url: a.file_type === 0 ? ctx.storage.thumbUrl(a) : '',
        data_url: ctx.storage.dataUrl(a),
        file_size: a.file_size,
        file_type: enumName(ATTACHMENT_FILE_TYPES, a.file_type),
        extension: a.extension,
        width: a.width,
        height: a.height,
        created_at: epochSeconds(view.message.created_at),
        ...(view.sender ? { sender: senderJson(view.sender) } : {}),
      };
    }),
  };
}
