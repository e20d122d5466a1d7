import { sql, type RawBuilder } from 'kysely';
import type { Contact, Message } from '../../core/db/schema.js';
import { messageCreatedEvents, type ContactActivity } from '../conversations/message-events.js';
import { conversationFromJson } from '../../core/db/json-rows.js';
import type { EventBus, MessageLoaded } from '../../core/events/bus.js';
import { pushViewFrom, pushViewPieces, type PushViewPieces } from '../conversations/push-view.js';
import { agentTokensQuery, contactTokensQuery, type ConversationPlace } from '../../core/realtime/audience.js';
import type { MessageView, SenderView } from '../../serializers/message.js';

/**
 * Pieces of the single-statement paths for plain text messages (the Client API's contact message,
 * the Application API's agent reply). Each path is one statement that locks the conversation,
 * stores the message with the effects every path applies (conversations/message-effects.ts storeCtes), and reads what
 * the realtime listener needs — taken only when no transactional listener has work for the
 * message (bus.textMessageUnheeded), so the effects and their deliveries never part.
 */

/**
 * What the statement returns besides each message `m`: its conversation after it (CTE `touched`)
 * and the reply times before (CTE `conversation`'s waiting_before and first_reply_before), the
 * source id, the audience — and when the reply times moved (conversation.updated follows), what
 * the conversation's push data embeds, so that event needs no query of its own. Each piece is
 * matched to m's conversation: one statement may store messages into several.
 */
export function liveResultColumns(place: ConversationPlace, followedUp: RawBuilder<boolean>) {
  const t = (column: string) => sql.ref(`t.${column}`);
  const pushView = pushViewPieces({
    id: t('id'),
    account_id: t('account_id'),
    contact_id: t('contact_id'),
    inbox_id: t('inbox_id'),
    contact_inbox_id: t('contact_inbox_id'),
    assignee_id: t('assignee_id'),
    team_id: t('team_id'),
  });
  return sql`(select source_id from contact_inboxes where id = ${place.contact_inbox_id ?? 0}) as contact_source_id,
    (select to_jsonb(t) from touched t where t.id = m.conversation_id) as conversation_json,
    (select ${pushView} from touched t join conversation before on before.id = t.id
      where t.id = m.conversation_id
        and (t.waiting_since is distinct from before.waiting_before or t.first_reply_created_at is distinct from before.first_reply_before
          or ${followedUp})) as push_view,
    (select name from accounts where id = m.account_id) as account_name,
    (select waiting_before from conversation b where b.id = m.conversation_id) as waiting_before,
    (select first_reply_before from conversation b where b.id = m.conversation_id) as first_reply_before,
    array(${agentTokensQuery(place)}) as agent_tokens, array(${contactTokensQuery(place)}) as contact_tokens`;
}

export type LiveRow = Message & {
  unread_count: string;
  contact_source_id: string | null;
  conversation_json: Record<string, unknown>;
  push_view: PushViewPieces | null;
  waiting_before: Date | null;
  first_reply_before: Date | null;
  agent_tokens: string[];
  contact_tokens: string[];
  account_name: string;
  /** The listeners' follow-ups' values (bus.textMessageFollowUps). */
  follow_ups: unknown;
};

/**
 * The message's view from the statement's row, and its events published with everything their
 * listeners need: message.created, first.reply.created when this reply was the first, then what
 * its side effects announce (messageActivityEvents; `contact`: a contact sender's activity).
 * `finished`: when the follow-ups' work after commit is done (bus.publishFollowedUp), which the
 * request waits for before it answers.
 */
export function publishLive(
  bus: EventBus,
  row: LiveRow,
  sender: SenderView & { type: 'User' | 'Contact' },
  echoId: string | null,
  options: { firstReply?: boolean; contact?: { before: ContactActivity; after: Contact } } = {},
): { view: MessageView; finished: Promise<void> } {
  const {
    unread_count,
    contact_source_id,
    conversation_json,
    push_view,
    waiting_before,
    first_reply_before,
    agent_tokens,
    contact_tokens,
    account_name,
    follow_ups,
    ...message
  } = row;
  const conversation = conversationFromJson(conversation_json);
  // the statement read the contact before its own update of it: the sender is the contact after
  const pushView = push_view ? pushViewFrom(conversation, push_view, Number(unread_count)) : undefined;
  const view: MessageView = {
    message,
    sender,
    attachments: [],
    echoId,
    conversation: {
      display_id: conversation.display_id,
      assignee_id: conversation.assignee_id,
      unread_count: Number(unread_count),
      last_activity_at: conversation.last_activity_at,
      source_id: contact_source_id,
    },
  };
  const performer = { type: sender.type, id: sender.type === 'User' ? sender.user.id : sender.contact.id };
  const ref = {
    accountId: message.account_id,
    conversationId: message.conversation_id,
    messageId: message.id,
    messageType: message.message_type,
    performer,
  };
  const loaded: MessageLoaded = {
    view,
    conversation,
    account: { id: message.account_id, name: account_name },
    audience: { agents: agent_tokens, contacts: contact_tokens },
    ...(pushView ? { pushView: options.contact ? { ...pushView, contact: options.contact.after } : pushView } : {}),
  };
  const finished = bus.publishFollowedUp(
    messageCreatedEvents(
      { ...ref, loaded },
      {
        firstReply: options.firstReply ?? false,
        conversation: {
          before: { waiting_since: waiting_before, first_reply_created_at: first_reply_before },
          after: conversation,
        },
        contact: options.contact,
      },
    ),
    follow_ups,
    loaded,
  );
  return { view, finished };
}
