import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import { ACCOUNT_USER_ROLE, CONVERSATION_PRIORITY, CONVERSATION_STATUSES, MESSAGE_TYPE } from '../../core/db/enums.js';
import type { ConversationStatus } from '../../core/db/enums.js';
import { performerOf } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { LIMITS } from '../../core/http/schemas.js';
import { muteConversation } from '../conversations/actions.js';
import { actorName } from '../conversations/activity.js';
import { assignConversation, assignTeam } from '../conversations/assignments.js';
import { applyConversationLabels } from '../conversations/labels.js';
import { priorityValue, setPriority } from '../conversations/priority.js';
import { setStatus } from '../conversations/status.js';
import { normaliseLabels } from '../labels/taggings.js';
import { ActionSkipped, type ActionHandler } from './types.js';

/**
 * ActionService's state actions (app/services/action_service.rb), shared by automation rules and
 * macros: each goes through the conversation helpers an agent's change uses, so the activity
 * messages ("… by Automation System"), events, webhooks and notifications are the same. Ids in
 * params are checked against the account when a rule is saved, and again when it runs.
 */

const first = (params: unknown[]) => params[0];
/** The dashboard sends "nil" for "none"; an empty list means the same. */
const isNil = (value: unknown) => value === undefined || value === null || value === 'nil';

function setStatusTo(status: ConversationStatus): ActionHandler['run'] {
  return (work, { conversation }) =>
    setStatus(work, {
      conversation,
      status,
      cause: { kind: 'actor', name: actorName(work.ctx), performer: performerOf(work.ctx) },
    });
}

/** ActionService#last_responding_agent_id: the sender of the last public outgoing message an agent wrote. */
async function lastRespondingAgent(tx: Db, conversation: Conversation): Promise<number | undefined> {
  const row = await tx
    .selectFrom('messages')
    .select('sender_id')
    .where('account_id', '=', conversation.account_id)
    .where('conversation_id', '=', conversation.id)
    .where('message_type', '=', MESSAGE_TYPE.outgoing)
    .where('sender_type', '=', 'User')
    .where('private', '=', false)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.sender_id ?? undefined;
}

/** agent_belongs_to_inbox?: an inbox member or an administrator of the account, confirmed (assign_agent). */
async function assignableAgent(tx: Db, conversation: Conversation, userId: number): Promise<boolean> {
  const row = await tx
    .selectFrom('account_users')
    .innerJoin('users', 'users.id', 'account_users.user_id')
    .select('account_users.user_id')
    .where('account_users.account_id', '=', conversation.account_id)
    .where('account_users.user_id', '=', userId)
    .where('users.confirmed_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('account_users.role', '=', ACCOUNT_USER_ROLE.administrator),
        eb.exists(
          eb
            .selectFrom('inbox_members')
            .select('inbox_members.id')
            .where('inbox_members.inbox_id', '=', conversation.inbox_id)
            .where('inbox_members.user_id', '=', userId),
        ),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

const accountAgent = async (db: Db, accountId: number, userId: number) =>
  (await db
    .selectFrom('account_users')
    .select('user_id')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst()) !== undefined;

const accountTeam = async (db: Db, accountId: number, teamId: number) =>
  (await db
    .selectFrom('teams')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', '=', teamId)
    .executeTakeFirst()) !== undefined;

/** The params as label titles (normalised as taggings store them). */
const labelTitles = (params: unknown[]) =>
  normaliseLabels(
    params.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number').map(String),
  );

/** Label titles: strings (or numbers) of at most LIMITS.short characters. */
const LABELS_CHECK = (params: unknown[]) =>
  params.every((p) => (typeof p === 'string' || typeof p === 'number') && String(p).length <= LIMITS.short)
    ? null
    : 'Invalid labels';

/** assign_team's "unassign" values: nothing, nil, "nil", 0 or "0" (ActionService#assign_team). */
const unassignsTeam = (value: unknown) => isNil(value) || String(value) === '0';

const STATUS_CHECK = (params: unknown[]) =>
  (CONVERSATION_STATUSES as readonly unknown[]).includes(first(params))
    ? null
    : `'${String(first(params))}' is not a valid status`;

const PRIORITY_CHECK = (params: unknown[]) => {
  const value = first(params);
  return isNil(value) || (typeof value === 'string' && Object.hasOwn(CONVERSATION_PRIORITY, value))
    ? null
    : `'${String(value)}' is not a valid priority`;
};

/** Actions that change assigning, labels, status, priority, mute (automation rules and macros). */
export const STATE_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  assign_agent: {
    async check(db, { accountId, params }) {
      const value = first(params);
      if (isNil(value) || value === 'last_responding_agent') return null;
      const id = parseId(value);
      return id !== undefined && (await accountAgent(db, accountId, id)) ? null : 'Invalid agent';
    },
    async run(work, { conversation, params }) {
      const value = first(params);
      if (isNil(value)) return assignConversation(work, { conversation, assigneeId: null });
      const id = value === 'last_responding_agent' ? await lastRespondingAgent(work.tx, conversation) : parseId(value);
      if (id === undefined || !(await assignableAgent(work.tx, conversation, id))) {
        throw new ActionSkipped('the agent is not a confirmed inbox member or administrator of the account');
      }
      return assignConversation(work, { conversation, assigneeId: id });
    },
  },
  assign_team: {
    async check(db, { accountId, params }) {
      const value = first(params);
      if (unassignsTeam(value)) return null;
      const id = parseId(value);
      return id !== undefined && (await accountTeam(db, accountId, id)) ? null : 'Invalid team';
    },
    async run(work, { conversation, params }) {
      const value = first(params);
      if (unassignsTeam(value)) return assignTeam(work, { conversation, teamId: null });
      const id = parseId(value);
      if (id === undefined || !(await accountTeam(work.tx, work.ctx.account.id, id))) {
        throw new ActionSkipped('the team is not a team of the account');
      }
      return assignTeam(work, { conversation, teamId: id });
    },
  },
  remove_assigned_team: {
    run: (work, { conversation }) => assignTeam(work, { conversation, teamId: null }),
  },
  // Conversation#add_labels tags any title (acts_as_taggable_on), as the label routes do: titles
  // name no other account's object, so only their form is checked
  add_label: {
    check: async (_db, { params }) => LABELS_CHECK(params),
    unchanged: (params) => {
      const add = labelTitles(params);
      return add.length === 0 ? null : sql<boolean>`coalesce(conversation_labels.names, '{}') @> ${add}::text[]`;
    },
    async run(work, { conversation, params }) {
      const add = labelTitles(params);
      if (add.length === 0) throw new ActionSkipped('no label to add');
      await applyConversationLabels(work, { conversation, add, remove: [] });
      return conversation;
    },
  },
  remove_label: {
    check: async (_db, { params }) => LABELS_CHECK(params),
    unchanged: (params) => {
      const remove = labelTitles(params);
      return remove.length === 0
        ? null
        : sql<boolean>`not (coalesce(conversation_labels.names, '{}') && ${remove}::text[])`;
    },
    async run(work, { conversation, params }) {
      const remove = labelTitles(params);
      if (remove.length === 0) throw new ActionSkipped('no label to remove');
      await applyConversationLabels(work, { conversation, add: [], remove });
      return conversation;
    },
  },
  mute_conversation: {
    run: (work, { conversation }) => muteConversation(work, { conversation, muted: true }),
  },
  // Conversation#snoozed!: snoozed with no snoozed_until (the next incoming message reopens it)
  snooze_conversation: { run: setStatusTo('snoozed') },
  resolve_conversation: { run: setStatusTo('resolved') },
  open_conversation: { run: setStatusTo('open') },
  pending_conversation: { run: setStatusTo('pending') },
  change_status: {
    check: async (_db, { params }) => STATUS_CHECK(params),
    async run(work, input) {
      const message = STATUS_CHECK(input.params);
      if (message) throw new Error(message);
      return setStatusTo(first(input.params) as ConversationStatus)(work, input);
    },
  },
  change_priority: {
    check: async (_db, { params }) => PRIORITY_CHECK(params),
    unchanged: (params) => {
      const value = first(params);
      let priority: number | null;
      try {
        priority = priorityValue(isNil(value) ? null : String(value));
      } catch {
        return null; // run() records the error
      }
      return sql<boolean>`conversations.priority is not distinct from ${priority}::int`;
    },
    run: (work, { conversation, params }) => {
      const value = first(params);
      return setPriority(work, { conversation, priority: isNil(value) ? null : String(value) });
    },
  },
};
