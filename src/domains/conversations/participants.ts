// A conversation's participants: .../conversations/:conversation_id/participants.
import type { AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { agentJson, type AgentJson } from '../../serializers/agent.js';
import { listAgentViews } from '../agents/queries.js';
import { fetchConversation } from './access.js';
import { ACCOUNT_USER_ROLE } from '../../core/db/enums.js';

async function participantIds(ctx: AccountCtx, conversationId: number): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom('conversation_participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .orderBy('id')
    .execute();
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
  const rows = await ctx.db
    .selectFrom('account_users')
    .select('account_users.user_id')
    .where('account_users.account_id', '=', ctx.account.id)
    .where('account_users.user_id', 'in', ids)
    .where((eb) =>
      eb.or([
        eb('account_users.role', '=', ACCOUNT_USER_ROLE.administrator),
        eb.exists(
          eb
            .selectFrom('inbox_members')
            .select('inbox_members.id')
            .whereRef('inbox_members.user_id', '=', 'account_users.user_id')
            .where('inbox_members.inbox_id', '=', inboxId),
        ),
      ]),
    )
    .execute();
  const allowed = new Set(rows.map((r) => r.user_id));
  return ids.filter((id) => allowed.has(id));
}

/**
 * POST adds (answers the newly added), PATCH makes the list exactly the given users (answers all),
 * DELETE removes the given users. Users without access to the inbox are left out, as Chatwoot's
 * validation silently drops them.
 */
export async function changeParticipants(
  ctx: AccountCtx,
  displayId: string,
  mode: 'add' | 'replace' | 'remove',
  raw: unknown[] | undefined,
): Promise<AgentJson[]> {
  const conversation = await fetchConversation(ctx, displayId);
  const current = await participantIds(ctx, conversation.id);
  if (mode === 'remove') {
    const ids = (raw ?? []).map((v) => parseId(v)).filter((v): v is number => v !== undefined);
    if (ids.length)
      await ctx.db
        .deleteFrom('conversation_participants')
        .where('conversation_id', '=', conversation.id)
        .where('user_id', 'in', ids)
        .execute();
    return [];
  }
  const wanted = await eligible(ctx, conversation.inbox_id, raw);
  const added = wanted.filter((id) => !current.includes(id));
  await ctx.db.transaction().execute(async (tx) => {
    if (added.length) {
      await tx
        .insertInto('conversation_participants')
        .values(added.map((user_id) => ({ account_id: ctx.account.id, conversation_id: conversation.id, user_id })))
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
        .execute();
    }
    const dropped = current.filter((id) => !wanted.includes(id));
    if (mode === 'replace' && dropped.length) {
      await tx
        .deleteFrom('conversation_participants')
        .where('conversation_id', '=', conversation.id)
        .where('user_id', 'in', dropped)
        .execute();
    }
  });
  return mode === 'add' ? agentsOf(ctx, added) : agentsOf(ctx, await participantIds(ctx, conversation.id));
}
