import { accountUserIdsFrom, listAgentViews } from '../agents/queries.js';
import { validationFailed } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { getInbox } from '../inboxes/service.js';
import { addMembers, INBOX_MEMBERS, memberIds, removeMembers, replaceMembers } from '../agents/memberships.js';
import type { AgentView } from '../../serializers/agent.js';
import type { InboxMembersBody } from './schemas.js';

async function inboxFor(ctx: AccountCtx, rawId: InboxMembersBody['inbox_id']) {
  return (await getInbox(ctx, parseId(rawId))).inbox;
}

/**
 * Users must be members of this account: any other id is "User must exist", as Chatwoot's
 * belongs_to :user reports a user it cannot find.
 */
async function accountUserIds(ctx: AccountCtx, raw: InboxMembersBody['user_ids']): Promise<number[]> {
  const ids = await accountUserIdsFrom(ctx.db, ctx.account.id, raw);
  if (!ids) throw validationFailed([{ attribute: 'user', message: 'must exist' }]);
  return ids;
}

async function members(ctx: AccountCtx, inboxId: number): Promise<AgentView[]> {
  return listAgentViews(ctx.db, ctx.account.id, await memberIds(ctx.db, INBOX_MEMBERS, inboxId));
}

/** GET /inbox_members/:inbox_id: administrators, or agents who are members themselves. */
export async function listInboxMembers(ctx: AccountCtx, inboxId: string): Promise<AgentView[]> {
  return members(ctx, (await inboxFor(ctx, inboxId)).id);
}

/** POST /inbox_members: adds (keeps existing members). */
export async function addInboxMembers(ctx: AccountCtx, body: InboxMembersBody): Promise<AgentView[]> {
  const inbox = await inboxFor(ctx, body.inbox_id);
  requireAdministrator(ctx);
  const ids = await accountUserIds(ctx, body.user_ids);
  await addMembers(ctx.db, INBOX_MEMBERS, inbox.id, ids);
  return members(ctx, inbox.id);
}

/** PATCH /inbox_members: the member list becomes exactly user_ids. */
export async function replaceInboxMembers(ctx: AccountCtx, body: InboxMembersBody): Promise<AgentView[]> {
  const inbox = await inboxFor(ctx, body.inbox_id);
  requireAdministrator(ctx);
  const ids = await accountUserIds(ctx, body.user_ids);
  await ctx.db.transaction().execute((tx) => replaceMembers(tx, INBOX_MEMBERS, inbox.id, ids));
  return members(ctx, inbox.id);
}

/** DELETE /inbox_members: ids that are not members are ignored. */
export async function removeInboxMembers(ctx: AccountCtx, body: InboxMembersBody): Promise<void> {
  const inbox = await inboxFor(ctx, body.inbox_id);
  requireAdministrator(ctx);
  const ids = (body.user_ids ?? []).map((value) => parseId(value)).filter((id): id is number => id !== undefined);
  await removeMembers(ctx.db, INBOX_MEMBERS, inbox.id, ids);
}
