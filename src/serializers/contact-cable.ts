// What a contact's socket (Client API / widget pubsub_token) receives: allow-lists built for the
// contact, never the agent shapes with fields removed. Chatwoot sends contacts the agent push data;
// these keep the keys widgets and the mobile SDKs read (id, content, message_type, content_type,
// content_attributes, created_at, conversation_id, attachments, sender, echo_id, status) and drop
// the rest (assignee ids, unread counts, source ids, contact inbox rows, pubsub tokens).
import type { Message } from '../core/db/schema.js';
import { attachmentJson, type AttachmentUrls } from './attachment.js';
import type { ConversationView } from './conversation.js';
import { CONVERSATION_STATUSES, MESSAGE_CONTENT_TYPES, MESSAGE_STATUSES, enumName } from '../core/db/enums.js';
import { availableName, thumbnailFor } from './agent.js';
import type { MessageView, SenderView } from './message.js';
import { epochSeconds } from './time.js';

/** content_attributes keys a contact may see (interactive message items and their answers, reply threading). */
const CONTENT_ATTRIBUTE_KEYS = [
  'items',
  'submitted_values',
  'submitted_email',
  'in_reply_to',
  'deleted',
  'email',
  'is_edited',
];

function contentAttributesFor(message: Message): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(message.content_attributes).filter(([key]) => CONTENT_ATTRIBUTE_KEYS.includes(key)),
  );
}

/** An agent, bot or the contact as the contact sees them. */
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

export function contactMessageCableJson(view: MessageView, urls: AttachmentUrls) {
  const { message } = view;
  return {
    id: message.id,
    content: message.content,
    inbox_id: message.inbox_id,
    conversation_id: view.conversation.display_id,
    message_type: message.message_type,
    content_type: enumName(MESSAGE_CONTENT_TYPES, message.content_type),
    content_attributes: contentAttributesFor(message),
    status: enumName(MESSAGE_STATUSES, message.status),
    created_at: epochSeconds(message.created_at),
    private: false,
    ...(view.echoId ? { echo_id: view.echoId } : {}),
    ...(view.attachments.length ? { attachments: view.attachments.map((a) => attachmentJson(a, urls)) } : {}),
    ...(view.sender ? { sender: contactSafeSender(view.sender) } : {}),
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
