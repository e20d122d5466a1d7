import type { Team } from '../../core/db/schema.js';
import { AppError, recordNotFound, validationFailed } from '../../core/errors.js';
import { performerOf, requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { accountUserIdsFrom, listAgentViews } from '../agents/queries.js';
import { addMembers, memberIds, removeMembers, replaceMembers, TEAM_MEMBERS } from '../agents/memberships.js';
import type { AgentView } from '../../serializers/agent.js';
import { takenAs } from '../../core/db/unique.js';
import { transactionally } from '../../core/events/bus.js';
import { invalidateCacheKey } from '../../core/realtime/cache-keys.js';
import type { TeamFields, TeamMembersBody } from './schemas.js';

export interface TeamView {
  team: Team;
  isMember: boolean;
}

async function withMembership(ctx: AccountCtx, teams: Team[]): Promise<TeamView[]> {
  if (teams.length === 0) return [];
  const userId = ctx.actor.kind === 'user' ? ctx.actor.user.id : 0;
  const rows = await ctx.db
    .selectFrom('team_members')
    .select('team_id')
    .where('user_id', '=', userId)
    .where(
      'team_id',
      'in',
      teams.map((t) => t.id),
    )
    .execute();
  const mine = new Set(rows.map((row) => row.team_id));
  return teams.map((team) => ({ team, isMember: mine.has(team.id) }));
}

async function fetchTeam(ctx: AccountCtx, rawId: string | undefined): Promise<Team> {
  const id = parseId(rawId);
  const team =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('teams')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!team) throw recordNotFound();
  return team;
}

/** Team names are stored lowercase, so uniqueness per account ignores case (Chatwoot's team.rb). */
function teamColumns(fields: TeamFields, creating: boolean) {
  if ((creating || fields.name !== undefined) && isBlank(fields.name)) {
    throw validationFailed([{ attribute: 'name', message: 'must not be blank' }]);
  }
  return {
    ...(fields.name !== undefined && { name: fields.name.trim().toLowerCase() }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(fields.allow_auto_assign !== undefined && { allow_auto_assign: fields.allow_auto_assign }),
  };
}

export async function listTeams(ctx: AccountCtx): Promise<TeamView[]> {
  return withMembership(
    ctx,
    await ctx.db.selectFrom('teams').selectAll().where('account_id', '=', ctx.account.id).orderBy('id').execute(),
  );
}

export async function getTeam(ctx: AccountCtx, id: string | undefined): Promise<TeamView> {
  return (await withMembership(ctx, [await fetchTeam(ctx, id)]))[0]!;
}

export async function createTeam(ctx: AccountCtx, fields: TeamFields): Promise<TeamView> {
  requireAdministrator(ctx);
  const columns = teamColumns(fields, true);
  const team = await takenAs('name', () =>
    transactionally(ctx, async (tx, batch) => {
      const created = await tx
        .insertInto('teams')
        .values({ account_id: ctx.account.id, name: columns.name!, ...columns })
        .returningAll()
        .executeTakeFirstOrThrow();
      await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'team', performer: performerOf(ctx) });
      return created;
    }),
  );
  return (await withMembership(ctx, [team]))[0]!;
}

export async function patchTeam(ctx: AccountCtx, id: string | undefined, fields: TeamFields): Promise<TeamView> {
  const team = await fetchTeam(ctx, id);
  requireAdministrator(ctx);
  const columns = teamColumns(fields, false);
  const updated = await takenAs('name', () =>
    transactionally(ctx, async (tx, batch) => {
      const row = await tx
        .updateTable('teams')
        .set({ ...columns, updated_at: new Date() })
        .where('id', '=', team.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'team', performer: performerOf(ctx) });
      return row;
    }),
  );
  return (await withMembership(ctx, [updated]))[0]!;
}

export async function removeTeam(ctx: AccountCtx, id: string | undefined): Promise<void> {
  const team = await fetchTeam(ctx, id);
  requireAdministrator(ctx);
  await transactionally(ctx, async (tx, batch) => {
    await tx.deleteFrom('teams').where('id', '=', team.id).execute();
    await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'team', performer: performerOf(ctx) });
  });
}

/** Chatwoot answers user ids outside the account with 401 {"error":"Invalid User IDs"}. */
async function accountUserIds(ctx: AccountCtx, body: TeamMembersBody): Promise<number[]> {
  const ids = await accountUserIdsFrom(ctx.db, ctx.account.id, body.user_ids);
  if (!ids) throw new AppError('unauthorized_action', 401, { error: 'Invalid User IDs' });
  return ids;
}

export async function listTeamMembers(ctx: AccountCtx, teamId: string | undefined): Promise<AgentView[]> {
  const team = await fetchTeam(ctx, teamId);
  return listAgentViews(ctx.db, ctx.account.id, await memberIds(ctx.db, TEAM_MEMBERS, team.id));
}

/** POST team_members: answers with only the users it newly added. */
export async function addTeamMembers(
  ctx: AccountCtx,
  teamId: string | undefined,
  body: TeamMembersBody,
): Promise<AgentView[]> {
  const team = await fetchTeam(ctx, teamId);
  requireAdministrator(ctx);
  const added = await addMembers(ctx.db, TEAM_MEMBERS, team.id, await accountUserIds(ctx, body));
  return listAgentViews(ctx.db, ctx.account.id, added);
}

/** PATCH team_members: the member list becomes exactly user_ids; answers with all members. */
export async function replaceTeamMembers(
  ctx: AccountCtx,
  teamId: string | undefined,
  body: TeamMembersBody,
): Promise<AgentView[]> {
  const team = await fetchTeam(ctx, teamId);
  requireAdministrator(ctx);
  const ids = await accountUserIds(ctx, body);
  await ctx.db.transaction().execute((tx) => replaceMembers(tx, TEAM_MEMBERS, team.id, ids));
  return listAgentViews(ctx.db, ctx.account.id, await memberIds(ctx.db, TEAM_MEMBERS, team.id));
}

export async function removeTeamMembers(
  ctx: AccountCtx,
  teamId: string | undefined,
  body: TeamMembersBody,
): Promise<void> {
  const team = await fetchTeam(ctx, teamId);
  requireAdministrator(ctx);
  await removeMembers(ctx.db, TEAM_MEMBERS, team.id, await accountUserIds(ctx, body));
}
