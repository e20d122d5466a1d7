// Mirrors Message#push_event_data (app/models/message.rb: used in conversation JSON, message
// create/update/delete responses and realtime) and app/views/api/v1/models/_message.json.jbuilder
// (the messages index), with the sender's push_event_data (User, Contact, AgentBot).
import { Type, type Static } from 'typebox';
import type { Contact, User } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { availableName, thumbnailFor } from './agent.js';
import { AttachmentSchema, attachmentJson, type AttachmentUrls } from './attachment.js';
import { AVAILABILITIES, MESSAGE_CONTENT_TYPES, MESSAGE_STATUSES, enumName } from '../core/db/enums.js';
import { epochSeconds, isoTime } from './time.js';
import type { MessageView, SenderView } from '../core/db/views.js';

export type { MessageView, SenderView };

const Attributes = Type.Record(Type.String(), Type.Unknown());

export const UserPushSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    available_name: Type.String(),
    avatar_url: Type.String(),
    type: Type.Literal('user'),
    availability_status: Type.Enum(AVAILABILITIES),
    thumbnail: Type.String(),
  },
  { title: 'UserPushData' },
);
export const ContactPushSchema = Type.Object(
  {
    additional_attributes: Attributes,
    custom_attributes: Attributes,
    email: NullableString(),
    id: Type.Integer(),
    identifier: NullableString(),
    name: Type.String(),
    phone_number: NullableString(),
    thumbnail: Type.String(),
    blocked: Type.Boolean(),
    type: Type.Literal('contact'),
  },
  { title: 'ContactPushData' },
);
export const AgentBotPushSchema = Type.Object(
  {
    id: Type.Integer(),
    name: NullableString(),
    avatar_url: Type.String(),
    type: Type.Literal('agent_bot'),
  },
  { title: 'AgentBotPushData' },
);
export const SenderSchema = Type.Union([UserPushSchema, ContactPushSchema, AgentBotPushSchema]);

export function userPushJson(user: User, availability: (typeof AVAILABILITIES)[number] = 'offline') {
  return {
    id: user.id,
    name: user.name,
    available_name: availableName(user),
    avatar_url: user.avatar_url ?? '',
    type: 'user' as const,
    availability_status: availability,
    thumbnail: thumbnailFor(user),
  };
}

export function contactPushJson(contact: Contact) {
  return {
    additional_attributes: contact.additional_attributes,
    custom_attributes: contact.custom_attributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phone_number,
    thumbnail: contact.avatar_url ?? '',
    blocked: contact.blocked,
    type: 'contact' as const,
  };
}

export function senderJson(sender: SenderView): Static<typeof SenderSchema> {
  if (sender.type === 'User') return userPushJson(sender.user, sender.availability);
  if (sender.type === 'Contact') return contactPushJson(sender.contact);
  return { id: sender.bot.id, name: sender.bot.name, avatar_url: sender.bot.avatar_url ?? '', type: 'agent_bot' };
}

export const MessagePushSchema = Type.Object(
  {
    id: Type.Integer(),
    content: NullableString(),
    account_id: Type.Integer(),
    inbox_id: Type.Integer(),
    conversation_id: Type.Integer({ description: "The conversation's display id" }),
    message_type: Type.Integer({ description: '0 incoming, 1 outgoing, 2 activity, 3 template' }),
    created_at: Type.Integer(),
    updated_at: Type.String({ description: 'ISO 8601' }),
    private: Type.Boolean(),
    status: Type.Enum(MESSAGE_STATUSES),
    source_id: NullableString(),
    content_type: Type.Enum(MESSAGE_CONTENT_TYPES),
    content_attributes: Attributes,
    sender_type: NullableString(),
    sender_id: NullableInteger(),
    external_source_ids: Attributes,
    additional_attributes: Attributes,
    processed_message_content: NullableString(),
    sentiment: Attributes,
    conversation: Type.Object({
      assignee_id: NullableInteger(),
      unread_count: Type.Integer(),
      last_activity_at: Type.Integer(),
      contact_inbox: Type.Object({ source_id: NullableString() }),
    }),
    echo_id: Type.Optional(Type.String()),
    attachments: Type.Optional(Type.Array(AttachmentSchema)),
    sender: Type.Optional(SenderSchema),
  },
  { title: 'MessagePushData' },
);

export type MessagePushJson = Static<typeof MessagePushSchema>;

/** Message#push_event_data. */
export function messagePushJson(view: MessageView, urls: AttachmentUrls): MessagePushJson {
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

export const MessageSchema = Type.Object(
  {
    id: Type.Integer(),
    content: NullableString(),
    inbox_id: Type.Integer(),
    echo_id: Type.Optional(Type.String()),
    conversation_id: Type.Integer({ description: "The conversation's display id" }),
    message_type: Type.Integer({ description: '0 incoming, 1 outgoing, 2 activity, 3 template' }),
    content_type: Type.Enum(MESSAGE_CONTENT_TYPES),
    status: Type.Enum(MESSAGE_STATUSES),
    content_attributes: Attributes,
    created_at: Type.Integer(),
    private: Type.Boolean(),
    source_id: NullableString(),
    sender: Type.Optional(SenderSchema),
    attachments: Type.Optional(Type.Array(AttachmentSchema)),
  },
  { title: 'Message' },
);

/** api/v1/models/_message.json.jbuilder (messages index). */
export function messageJson(view: MessageView, urls: AttachmentUrls): Static<typeof MessageSchema> {
  const { message } = view;
  return {
    id: message.id,
    content: message.content,
    inbox_id: message.inbox_id,
    ...(view.echoId ? { echo_id: view.echoId } : {}),
    conversation_id: view.conversation.display_id,
    message_type: message.message_type,
    content_type: enumName(MESSAGE_CONTENT_TYPES, message.content_type),
    status: enumName(MESSAGE_STATUSES, message.status),
    content_attributes: message.content_attributes,
    created_at: epochSeconds(message.created_at),
    private: message.private,
    source_id: message.source_id,
    ...(view.sender ? { sender: senderJson(view.sender) } : {}),
    ...(view.attachments.length ? { attachments: view.attachments.map((a) => attachmentJson(a, urls)) } : {}),
  };
}

/** Account#webhook_data and Inbox#webhook_data: `{ id, name }`. */
export interface NamedRef {
  id: number;
  name: string | null;
}

/** Contact#webhook_data (app/models/contact.rb, newer upstream). */
export function contactWebhookJson(contact: Contact, account: NamedRef) {
  return {
    account: { id: account.id, name: account.name },
    additional_attributes: contact.additional_attributes,
    avatar: contact.avatar_url ?? '',
    custom_attributes: contact.custom_attributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phone_number,
    thumbnail: contact.avatar_url ?? '',
    blocked: contact.blocked,
  };
}

/** The sender's webhook_data: User `{id,name,email,type}`, AgentBot `{id,name,type}`, Contact's. */
export function senderWebhookJson(sender: SenderView, account: NamedRef) {
  if (sender.type === 'User')
    return { id: sender.user.id, name: sender.user.name, email: sender.user.email, type: 'user' as const };
  if (sender.type === 'AgentBot') return { id: sender.bot.id, name: sender.bot.name, type: 'agent_bot' as const };
  return contactWebhookJson(sender.contact, account);
}

const MESSAGE_TYPE_NAMES = ['incoming', 'outgoing', 'activity', 'template'] as const;

/**
 * Message#webhook_data (app/models/message.rb): message_type as its NAME and created_at as an
 * ISO 8601 string, unlike push_event_data; the conversation is its webhook data (push data).
 */
export function messageWebhookJson(
  view: MessageView,
  refs: { account: NamedRef; inbox: NamedRef; conversation: Record<string, unknown> },
  urls: AttachmentUrls,
) {
  const { message } = view;
  return {
    account: { id: refs.account.id, name: refs.account.name },
    additional_attributes: message.additional_attributes,
    content_attributes: message.content_attributes,
    content_type: enumName(MESSAGE_CONTENT_TYPES, message.content_type),
    content: message.content,
    conversation: refs.conversation,
    created_at: isoTime(message.created_at),
    id: message.id,
    inbox: { id: refs.inbox.id, name: refs.inbox.name },
    message_type: MESSAGE_TYPE_NAMES[message.message_type] ?? 'incoming',
    private: message.private,
    sender: view.sender ? senderWebhookJson(view.sender, refs.account) : null,
    source_id: message.source_id,
    ...(view.attachments.length ? { attachments: view.attachments.map((a) => attachmentJson(a, urls)) } : {}),
  };
}
