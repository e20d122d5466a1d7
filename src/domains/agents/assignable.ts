import { ACCOUNT_USER_ROLES, enumValue } from '../../core/db/enums.js';
import { recordNotFound, unauthorizedAction } from '../../core/errors.js';
import { actorUserId, isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import type { AgentView } from '../../serializers/agent.js';
import { listAgentViews } from './queries.js';

const ADMINISTRATOR = enumValue(ACCOUNT_USER_ROLES, 'administrator');

/**
 * GET /assignable_agents?inbox_ids[]=, as Chatwoot's AssignableAgentsController: the account's
 * users who are members of every given inbox, then the account's administrators (each once).
 *
 * `Current.account.inboxes.find(inbox_ids)`: no ids, an id that does not read as one, or any
 * inbox not of this account is a 404. Then `authorize inbox, :show?` for each: an agent must be a
 * member of every one of them (else 401); administrators see every inbox of the account.
 */
export async function assignableAgents(ctx: AccountCtx, rawIds: unknown[] | undefined): Promise<AgentView[]> {
  if (rawIds === undefined) throw recordNotFound();
  const ids = rawIds.map((raw) => parseId(raw));
  if (ids.some((id) => id === undefined)) throw recordNotFound();
  const inboxIds = [...new Set(ids as number[])];
  const found =
    inboxIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('inboxes')
          .select('id')
          .where('account_id', '=', ctx.account.id)
          .where('id', 'in', inboxIds)
          .execute();
  if (found.length !== inboxIds.length) throw recordNotFound();

  // members of every inbox: the users with one membership row per inbox asked for
  const members =
    inboxIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('inbox_members')
          .innerJoin('account_users', (join) =>
            join
              .onRef('account_users.user_id', '=', 'inbox_members.user_id')
              .on('account_users.account_id', '=', ctx.account.id),
          )
          .select('inbox_members.user_id')
          .where('inbox_members.inbox_id', 'in', inboxIds)
          .groupBy('inbox_members.user_id')
          .having((eb) => eb.fn.count('inbox_members.inbox_id').distinct(), '=', inboxIds.length)
          .execute();
  const memberIds = members.map((row) => row.user_id);
  if (!isAdministrator(ctx) && !memberIds.includes(actorUserId(ctx))) throw unauthorizedAction();

  const administrators = await ctx.db
    .selectFrom('account_users')
    .select('user_id')
    .where('account_id', '=', ctx.account.id)
    .where('role', '=', ADMINISTRATOR)
    .execute();
  // `(agents + Current.account.administrators).uniq`: the members first, then the other administrators
  const memberViews = await listAgentViews(ctx.db, ctx.account.id, memberIds);
  const shown = new Set(memberIds);
  const adminViews = await listAgentViews(
    ctx.db,
    ctx.account.id,
    administrators.map((row) => row.user_id).filter((id) => !shown.has(id)),
  );
  return [...memberViews, ...adminViews];
}
