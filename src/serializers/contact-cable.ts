// What a contact's socket (Client API / widget pubsub_token) receives, built key by key for the
// contact rather than the agent shapes with fields removed, so a field added to an agent shape never
// reaches contacts unseen. Messages: every key of Message#push_event_data, as Chatwoot's
// ActionCableListener sends contacts exactly that (sender's push_event_data included); only which
// messages go to contacts is narrower (no private notes, no activity messages: the listener decides).
// Conversations: the keys widgets read, without the contact_inbox row (its pubsub_token), unread
// counts, labels and the agent-side meta that Conversation#push_event_data carries.
import { attachmentJson, type AttachmentUrls } from './attachment.js';
import type { ConversationView } from './conversation.js';
import { CONVERSATION_STATUSES, MESSAGE_CONTENT_TYPES, MESSAGE_STATUSES, enumName } from '../core/db/enums.js';
import { availableName, thumbnailFor } from './agent.js';
import { senderJson, type MessageView, type SenderView } from './message.js';
import { epochSeconds, isoTime } from './time.js';

/** A conversation's assignee as the contact's conversation frames show them. */
export function contactSafeSender(sender: SenderView) {
  if (sender.type === 'User') {
    const name = availableName(sender.user);
    return {
      id: sender.user.id,
      name,
      available_name: name,
      avatar_url: sender.user.avatar_url ?? '',
      thumbnail: thumbnailFor(sender.user),
      type: 'user' as const,
    };
  }
  if (sender.type === 'AgentBot')
    return {
      id: sender.bot.id,
      name: sender.bot.name,
      avatar_url: sender.bot.avatar_url ?? '',
      thumbnail: sender.bot.avatar_url ?? '',
      type: 'agent_bot' as const,
    };
  return {
    id: sender.contact.id,
    name: sender.contact.name,
    avatar_url: sender.contact.avatar_url ?? '',
    thumbnail: sender.contact.avatar_url ?? '',
    type: 'contact' as const,
  };
}

/** Message#push_event_data for the contact's socket (app/models/message.rb), every key in Chatwoot's order. */
export function contactMessageCableJson(view: MessageView, urls: AttachmentUrls) {
  const { message, conversation } = view;
  return {
    id: message.id,
    content: message.content,
    account_id: message.account_id,
    inbox_id: message.inbox_id,
    conversation_id: conversation.display_id,
    message_type: message.message_type,
    created_at: epochSeconds(message.created_at),
    updated_at: isoTime(message.updated_at)!,
    private: message.private,
    status: enumName(MESSAGE_STATUSES, message.status),
    source_id: message.source_id,
    content_type: enumName(MESSAGE_CONTENT_TYPES, message.content_type),
    content_attributes: message.content_attributes,
    sender_type: message.sender_type,
    sender_id: message.sender_id,
    external_source_ids: message.external_source_ids,
    additional_attributes: message.additional_attributes,
    processed_message_content: message.content,
    sentiment: message.sentiment,
    conversation: {
      assignee_id: conversation.assignee_id,
      unread_count: conversation.unread_count,
      last_activity_at: epochSeconds(conversation.last_activity_at),
      contact_inbox: { source_id: conversation.source_id },
    },
    ...(view.echoId ? { echo_id: view.echoId } : {}),
    ...(view.attachments.length ? { attachments: view.attachments.map((a) => attachmentJson(a, urls)) } : {}),
    ...(view.sender ? { sender: senderJson(view.sender) } : {}),
  };
}

export function contactConversationCableJson(view: ConversationView) {
  const { conversation: c } = view;
  return {
    id: c.display_id,
    uuid: c.uuid,
    inbox_id: c.inbox_id,
    status: enumName(CONVERSATION_STATUSES, c.status),
    contact_last_seen_at: epochSeconds(c.contact_last_seen_at),
    agent_last_seen_at: epochSeconds(c.agent_last_seen_at),
    last_activity_at: epochSeconds(c.last_activity_at),
    created_at: epochSeconds(c.created_at),
    meta: { assignee: view.assignee ? contactSafeSender({ type: 'User', user: view.assignee.user }) : null },
  };
}
