import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import { transactionally, type Performer } from '../../core/events/bus.js';
import type { AccountCtx, AccountWork } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { listAgentViews } from '../agents/queries.js';
import { agentJson, type AgentJson } from '../../serializers/agent.js';
import { isoTime } from '../../serializers/time.js';
import { ACTIVITY, actorName, writeActivity } from './activity.js';
import { fetchConversation } from './access.js';
import { performerOf } from '../../core/http/account-scope.js';
import { lockInbox, maxAssignmentLimit, pickAgent } from './round-robin.js';

const nameOf = async (tx: Db, userId: number) =>
  (await tx.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst())?.name ?? '';

/**
 * Sets the assignee (a member of the account, or null) as Chatwoot's AssignmentHandler does: the
 * new assignee becomes a participant, and the activity says who assigned whom.
 */
export async function assignConversation(
  work: AccountWork,
  {
    conversation,
    assigneeId: userId,
    by,
  }: {
    conversation: Conversation;
    assigneeId: number | null;
    /**
     * Who the activity message and the event name instead of ctx's caller (auto-assignment): a null
     * name writes no activity message, as Chatwoot's when neither Current.user nor executed_by is set.
     */
    by?: { name: string | null; performer: Performer | undefined };
  },
): Promise<Conversation> {
  const { ctx, tx, batch } = work;
  if (conversation.assignee_id === userId) return conversation;
  const updated = await tx
    .updateTable('conversations')
    .set({ assignee_id: userId, updated_at: new Date() })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const user = by ? by.name : actorName(ctx);
  let content: string | null;
  if (user === null) content = null;
  else if (userId === null) content = ACTIVITY.assignee.removed(user);
  else if (ctx.actor.kind === 'user' && ctx.actor.user.id === userId) content = ACTIVITY.assignee.selfAssigned(user);
  else content = ACTIVITY.assignee.assigned(await nameOf(tx, userId), user);
  if (userId !== null) {
    await tx
      .insertInto('conversation_participants')
      .values({ account_id: ctx.account.id, conversation_id: conversation.id, user_id: userId })
      .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
      .execute();
  }
  if (content !== null) await writeActivity(work, { conversation: updated, content });
  batch.emit('assignee.changed', {
    accountId: ctx.account.id,
    conversationId: conversation.id,
    performer: by ? by.performer : performerOf(ctx),
    changes: { assignee_id: [conversation.assignee_id, userId] },
  });
  return updated;
}

/**
 * AssignmentHandler#find_assignee_from_team: a team that allows auto-assignment gives a conversation
 * left without an assignee to the next online member of both the team and the inbox (under the
 * inbox's max_assignment_limit when it auto-assigns), by the inbox's round-robin queue.
 */
async function assigneeFromTeam(tx: Db, conversation: Conversation, teamId: number): Promise<number | null> {
  const [team, inbox] = await Promise.all([
    tx.selectFrom('teams').select('allow_auto_assign').where('id', '=', teamId).executeTakeFirst(),
    tx
      .selectFrom('inboxes')
      .select(['enable_auto_assignment', 'auto_assignment_config'])
      .where('id', '=', conversation.inbox_id)
      .executeTakeFirstOrThrow(),
  ]);
  if (!team?.allow_auto_assign) return null;
  await lockInbox(tx, conversation.inbox_id);
  const picked = await pickAgent(tx, {
    accountId: conversation.account_id,
    inboxId: conversation.inbox_id,
    teamId,
    maxOpen: inbox.enable_auto_assignment ? maxAssignmentLimit(inbox.auto_assignment_config) : null,
    fair: null,
    capacity: false,
    order: 'round_robin',
  });
  return picked ?? null;
}

/**
 * Sets the team; an assignee outside the new team is unassigned (ensure_assignee_is_from_team), and
 * a conversation without one gets one from the team when it allows auto-assignment. One activity
 * message: the team one ("Assigned to <agent> via <team> by <user>" when an agent came with it).
 */
export async function assignTeam(
  work: AccountWork,
  { conversation, teamId }: { conversation: Conversation; teamId: number | null },
): Promise<Conversation> {
  const { ctx, tx, batch } = work;
  if (conversation.team_id === teamId) return conversation;
  let assigneeId = conversation.assignee_id;
  if (teamId !== null && assigneeId !== null && !(await isTeamMember(tx, teamId, assigneeId))) assigneeId = null;
  let updated = await tx
    .updateTable('conversations')
    .set({ team_id: teamId, assignee_id: assigneeId, updated_at: new Date() })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  // the inbox's lock is taken after the change, as auto-assignment takes it after the change that
  // opened a conversation: every request path locks the conversation counters first, then the inbox
  if (teamId !== null && assigneeId === null) {
    assigneeId = await assigneeFromTeam(tx, conversation, teamId);
    if (assigneeId !== null)
      updated = await tx
        .updateTable('conversations')
        .set({ assignee_id: assigneeId })
        .where('id', '=', conversation.id)
        .returningAll()
        .executeTakeFirstOrThrow();
  }
  const teamName = async (id: number) =>
    (await tx.selectFrom('teams').select('name').where('id', '=', id).executeTakeFirst())?.name ?? '';
  if (assigneeId !== null && assigneeId !== conversation.assignee_id) {
    await tx
      .insertInto('conversation_participants')
      .values({ account_id: ctx.account.id, conversation_id: conversation.id, user_id: assigneeId })
      .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
      .execute();
  }
  const user = actorName(ctx);
  const content =
    teamId === null
      ? ACTIVITY.team.removed(conversation.team_id === null ? '' : await teamName(conversation.team_id), user)
      : assigneeId !== null && assigneeId !== conversation.assignee_id
        ? ACTIVITY.team.assignedWithAssignee(await nameOf(tx, assigneeId), await teamName(teamId), user)
        : ACTIVITY.team.assigned(await teamName(teamId), user);
  await writeActivity(work, { conversation: updated, content });
  batch.emit('team.changed', {
    accountId: ctx.account.id,
    conversationId: conversation.id,
    performer: performerOf(ctx),
    changes: { team_id: [conversation.team_id, teamId] },
  });
  if (assigneeId !== conversation.assignee_id) {
    batch.emit('assignee.changed', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      performer: performerOf(ctx),
      changes: { assignee_id: [conversation.assignee_id, assigneeId] },
    });
  }
  return updated;
}

/**
 * A conversation created with a team (Chatwoot's ensure_assignee_is_from_team runs on create too:
 * team_id changed from nothing). Call it right after the insert, which stored the team and the
 * requested assignee: an assignee outside the team is dropped, and a conversation left without one
 * gets the team's next online member when the team allows auto-assignment — whether or not the
 * inbox auto-assigns (find_assignee_from_team reads only the team's allow_auto_assign). Emits
 * team.changed and assignee.changed, as notify_assignment_change does for the new record, and
 * returns the conversation with the activity message to write once the request's own message is
 * in ("Assigned to <agent> via <team> by <user>", or "Assigned to <team> by <user>").
 */
export async function settleNewTeam(
  work: AccountWork,
  { conversation }: { conversation: Conversation },
): Promise<{ conversation: Conversation; activity: string }> {
  const { ctx, tx, batch } = work;
  const teamId = conversation.team_id!;
  let assigneeId = conversation.assignee_id;
  if (assigneeId !== null && !(await isTeamMember(tx, teamId, assigneeId))) assigneeId = null;
  // the inbox's lock after the insert, as assignTeam and auto-assignment take it
  if (assigneeId === null) assigneeId = await assigneeFromTeam(tx, conversation, teamId);
  const updated =
    assigneeId === conversation.assignee_id
      ? conversation
      : await tx
          .updateTable('conversations')
          .set({ assignee_id: assigneeId })
          .where('id', '=', conversation.id)
          .returningAll()
          .executeTakeFirstOrThrow();
  if (assigneeId !== null) {
    await tx
      .insertInto('conversation_participants')
      .values({ account_id: ctx.account.id, conversation_id: conversation.id, user_id: assigneeId })
      .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
      .execute();
  }
  const team = (await tx.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst())?.name ?? '';
  const user = actorName(ctx);
  const activity =
    assigneeId === null
      ? ACTIVITY.team.assigned(team, user)
      : ACTIVITY.team.assignedWithAssignee(await nameOf(tx, assigneeId), team, user);
  batch.emit('team.changed', {
    accountId: ctx.account.id,
    conversationId: conversation.id,
    performer: performerOf(ctx),
    changes: { team_id: [null, teamId] },
  });
  if (assigneeId !== null)
    batch.emit('assignee.changed', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      performer: performerOf(ctx),
      changes: { assignee_id: [null, assigneeId] },
    });
  return { conversation: updated, activity };
}

export interface RawTeamJson {
  id: number;
  name: string;
  description: string | null;
  allow_auto_assign: boolean;
  account_id: number;
  created_at: string | null;
  updated_at: string | null;
}

/**
 * POST /conversations/:id/assignments: `assignee_id` (wins when both are sent; unknown or null
 * unassigns) → the agent or null; else `team_id` (unknown, 0 or null removes) → the raw team or
 * null; neither → null.
 */
export async function createAssignment(
  ctx: AccountCtx,
  displayId: string,
  body: Record<string, unknown>,
): Promise<AgentJson | RawTeamJson | null> {
  const conversation = await fetchConversation(ctx, displayId);
  if (Object.hasOwn(body, 'assignee_id')) {
    const wanted = parseId(body.assignee_id);
    const [agent] = wanted === undefined ? [] : await listAgentViews(ctx.db, ctx.account.id, [wanted]);
    await transactionally(ctx, async (tx, batch) => {
      const current = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', conversation.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      await assignConversation({ ctx, tx, batch }, { conversation: current, assigneeId: agent?.user.id ?? null });
    });
    return agent ? agentJson(agent) : null;
  }
  if (Object.hasOwn(body, 'team_id')) {
    const wanted = parseId(body.team_id);
    const team =
      wanted === undefined
        ? undefined
        : await ctx.db
            .selectFrom('teams')
            .selectAll()
            .where('account_id', '=', ctx.account.id)
            .where('id', '=', wanted)
            .executeTakeFirst();
    await transactionally(ctx, async (tx, batch) => {
      const current = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', conversation.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      await assignTeam({ ctx, tx, batch }, { conversation: current, teamId: team?.id ?? null });
    });
    return team
      ? {
          id: team.id,
          name: team.name,
          description: team.description,
          allow_auto_assign: team.allow_auto_assign,
          account_id: team.account_id,
          created_at: isoTime(team.created_at),
          updated_at: isoTime(team.updated_at),
        }
      : null;
  }
  return null;
}

/** Whether the user is a member of the team (Chatwoot's ensure_assignee_is_from_team). */
async function isTeamMember(tx: Db, teamId: number, userId: number): Promise<boolean> {
  const member = await tx
    .selectFrom('team_members')
    .select('id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return member !== undefined;
}
