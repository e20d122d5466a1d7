import { sql, type Expression, type SqlBool } from 'kysely';
import type { Conversation } from '../../core/db/schema.js';
import type { SqlValue } from '../../core/events/bus.js';
import { recordNotFound, unauthorizedAction } from '../../core/errors.js';
import { isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { ANY_PLAN } from '../../core/db/prepared.js';

/**
 * Which conversations the caller may see: administrators all of the account's; agents those of
 * the inboxes they are members of, or of the teams they belong to; agent bots those of the
 * inboxes they are attached to (all of their own account's).
 */
export type Visibility = { all: true } | { all: false; inboxIds: number[]; teamIds: number[] };

export async function visibilityOf(ctx: AccountCtx): Promise<Visibility> {
  if (isAdministrator(ctx)) return { all: true };
  const { actor, account, db } = ctx;
  if (actor.kind === 'automation' || actor.kind === 'system') return { all: true };
  if (actor.kind === 'agent_bot') {
    if (actor.bot.account_id === account.id) return { all: true };
    const rows = await db
      .selectFrom('agent_bot_inboxes')
      .select('inbox_id')
      .where('account_id', '=', account.id)
      .where('agent_bot_id', '=', actor.bot.id)
      .execute();
    return { all: false, inboxIds: rows.map((r) => r.inbox_id), teamIds: [] };
  }
  const [inboxes, teams] = await Promise.all([
    db
      .selectFrom('inbox_members')
      .innerJoin('inboxes', 'inboxes.id', 'inbox_members.inbox_id')
      .select('inbox_members.inbox_id')
      .where('inboxes.account_id', '=', account.id)
      .where('inbox_members.user_id', '=', actor.user.id)
      .execute(),
    db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select('team_members.team_id')
      .where('teams.account_id', '=', account.id)
      .where('team_members.user_id', '=', actor.user.id)
      .execute(),
  ]);
  return { all: false, inboxIds: inboxes.map((r) => r.inbox_id), teamIds: teams.map((r) => r.team_id) };
}

/**
 * visibilityOf for a user, as a predicate over the conversation `alias` itself: for a statement
 * that finds a conversation and checks it at once (a member of its inbox or of its team, or an
 * administrator).
 */
export function visibleToUser(ctx: AccountCtx, userId: SqlValue, alias: string): Expression<SqlBool> {
  return visibleToMember(isAdministrator(ctx), userId, alias);
}

/** visibleToUser for a caller known to be an administrator or not (a statement compiled once for each). */
export function visibleToMember(administrator: boolean, userId: SqlValue, alias: string): Expression<SqlBool> {
  if (administrator) return sql<SqlBool>`true`;
  return sql<SqlBool>`(exists (select 1 from inbox_members im where im.inbox_id = ${sql.ref(`${alias}.inbox_id`)} and im.user_id = ${userId})
    or exists (select 1 from team_members tm where tm.team_id = ${sql.ref(`${alias}.team_id`)} and tm.user_id = ${userId}))`;
}

/** The visibility as a predicate over a table with inbox_id and team_id columns. */
export function visiblePredicate(visibility: Visibility, table: string): Expression<SqlBool> {
  if (visibility.all) return sql<SqlBool>`true`;
  const inbox = sql.ref(`${table}.inbox_id`);
  const team = sql.ref(`${table}.team_id`);
  return sql<SqlBool>`(${inbox} = any(${visibility.inboxIds}::bigint[]) or ${team} = any(${visibility.teamIds}::bigint[]))`;
}

export function canSee(visibility: Visibility, conversation: Pick<Conversation, 'inbox_id' | 'team_id'>): boolean {
  if (visibility.all) return true;
  return (
    visibility.inboxIds.includes(conversation.inbox_id) ||
    (conversation.team_id !== null && visibility.teamIds.includes(conversation.team_id))
  );
}

/**
 * `Current.account.conversations.find_by!(display_id:)` then the policy: unknown → 404,
 * not visible to the caller → 401 "You are not authorized to do this action".
 */
export async function fetchConversation(ctx: AccountCtx, rawDisplayId: unknown, db = ctx.db): Promise<Conversation> {
  const displayId = parseId(rawDisplayId);
  const conversation =
    displayId === undefined
      ? undefined
      : await db
          .selectFrom('conversations')
          .selectAll()
          .modifyFront(ANY_PLAN)
          .where('account_id', '=', ctx.account.id)
          .where('display_id', '=', displayId)
          .executeTakeFirst();
  if (!conversation) throw recordNotFound();
  if (!canSee(await visibilityOf(ctx), conversation)) throw unauthorizedAction();
  return conversation;
}
