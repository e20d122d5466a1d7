import { sql } from 'kysely';
import { MESSAGE_TYPE } from '../../core/db/enums.js';
import { PreparedOnce, type Slots } from '../../core/db/prepared.js';
import type { EventBus } from '../../core/events/bus.js';
import { isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { UNREAD_OF_C } from '../conversations/views.js';
import { visibleToMember } from '../conversations/access.js';
import { isRecent } from '../../core/realtime/presence.js';
import { availabilityStatus } from '../../serializers/agent.js';
import type { MessageView } from '../../serializers/message.js';
import { lockedColumns, messageKind, storeCtes, unreadAfter } from '../conversations/message-effects.js';
import { liveResultColumns, publishLive, type LiveRow } from './live.js';
import type { NewMessage } from '../conversations/store-message.js';

/** A plain public text reply from a user: what the single statement handles (anything else takes insertMessage). */
function isPlainReply(input: NewMessage): boolean {
  return (
    input.sender?.type === 'User' &&
    input.messageType === MESSAGE_TYPE.outgoing &&
    input.contentType === 0 &&
    !input.private &&
    input.content !== null &&
    input.content.trim() !== '' &&
    input.files.length === 0 &&
    input.sourceId === null &&
    input.idempotencyKey === null &&
    Object.keys(input.contentAttributes).length === 0 &&
    Object.keys(input.additionalAttributes).length === 0
  );
}

/** What the reply statement's text depends on besides the bus: whether the caller sees every conversation. */
interface ReplyShape {
  bus: EventBus;
  administrator: boolean;
}

/** What each reply binds. */
interface ReplyValues extends Record<string, unknown> {
  accountId: number;
  displayId: number;
  userId: number;
  content: string;
  echoId: string | null;
}

type ReplyRow = LiveRow & { first_reply: boolean; online: boolean | null };

const REPLY_KIND = messageKind({
  messageType: MESSAGE_TYPE.outgoing,
  private: false,
  senderType: 'User',
  automated: false,
});

/** The reply statement (see insertLiveReply), its values as parameters: compiled once per shape. */
export function replyStatement(shape: ReplyShape, v: Slots<ReplyValues>) {
  const unheeded = shape.bus.textMessageUnheeded({
    accountId: v.accountId,
    inboxId: sql.ref('c.inbox_id'),
    conversationId: sql.ref('c.id'),
    authorUserId: v.userId,
  });
  const followUps = shape.bus.textMessageFollowUps({
    accountId: v.accountId,
    inboxId: sql.ref('cv.inbox_id'),
    conversationId: sql.ref('cv.id'),
    authorUserId: v.userId,
    messageId: sql.ref('m.id'),
    reply: {
      firstReply: sql.ref('cv.first_reply'),
      waitingBefore: sql.ref('cv.waiting_before'),
      createdAt: sql.ref('m.created_at'),
    },
  });
  const place = {
    account_id: v.accountId,
    inbox_id: sql.ref('cv.inbox_id'),
    team_id: sql.ref('cv.team_id'),
    contact_inbox_id: sql.ref('cv.contact_inbox_id'),
  };
  const values = {
    messageType: MESSAGE_TYPE.outgoing,
    content: v.content,
    senderType: 'User' as const,
    senderId: v.userId,
    echoId: v.echoId,
  };
  return sql<ReplyRow>`
    with conversation as (
      select c.id, c.account_id, c.inbox_id, c.team_id, c.contact_inbox_id, ${UNREAD_OF_C} as unread_before, ${lockedColumns(REPLY_KIND)}
      from conversations c
      where c.account_id = ${v.accountId} and c.display_id = ${v.displayId} and ${visibleToMember(shape.administrator, v.userId, 'c')} and ${unheeded}
      for update of c
    ), ${storeCtes(REPLY_KIND, values, { from: sql`conversation c`, skipStoredEcho: true })}
    select m.*, cv.first_reply, ${unreadAfter(REPLY_KIND, 'cv')} as unread_count,
      (select ${isRecent('p')} from presence p where p.account_id = ${v.accountId} and p.kind = 'User' and p.entity_id = ${v.userId}) as online,
      ${liveResultColumns(place, shape.bus.textMessageFollowedUp(sql.ref('fu.v')))}, fu.v as follow_ups
    from conversation cv join message m on true
    cross join lateral (select ${followUps} as v) fu`;
}

export const REPLY_STATEMENT = new PreparedOnce<ReplyShape, ReplyValues, ReplyRow>(replyStatement, (shape) => [
  shape.bus,
  `${shape.administrator}:${shape.bus.transactionalGeneration}`,
]);

/**
 * An agent's plain reply (isPlainReply, by a user of the account) stored with every path's
 * effects (conversations/message-effects.ts) in one statement, when no transactional listener (API inbox, bot, a
 * webhook on conversation_updated, SLA, …) has work for it that the statement cannot do itself —
 * the assignee's and participants' notifications and the account webhooks' message_created
 * deliveries it writes (bus.textMessageFollowUps), and answers once their after-commit part is
 * done; undefined for any other message. The statement finds the
 * conversation by display id as fetchConversation does, checks that the user may see it
 * (visibleToUser), and locks it; a reply keeps any status. It announces first.reply.created when
 * it was the first, and conversation.updated when the reply times moved. The same statement reads
 * the unread count, the sender's presence and the realtime audience. Undefined, with nothing
 * written, when the conversation is unknown or hidden from the user, a listener has work or the
 * echo_id is stored already: the caller takes the transactional path (and its 404 or 401).
 */
export async function insertLiveReply(
  ctx: AccountCtx,
  displayId: number,
  input: NewMessage,
): Promise<MessageView | undefined> {
  if (!isPlainReply(input) || ctx.actor.kind !== 'user' || !ctx.accountUser) return undefined;
  const user = ctx.actor.user;
  const { rows } = await REPLY_STATEMENT.execute(
    ctx.db,
    { bus: ctx.bus, administrator: isAdministrator(ctx) },
    { accountId: ctx.account.id, displayId, userId: user.id, content: input.content!, echoId: input.echoId },
  );
  const row = rows[0];
  if (!row) return undefined;
  const { first_reply: firstReply, online, ...rest } = row;
  const sender = { type: 'User' as const, user, availability: availabilityStatus(ctx.accountUser, online === true) };
  const { view, finished } = publishLive(ctx.bus, rest, sender, input.echoId, { firstReply });
  await finished;
  return view;
}
