// Mirrors app/views/public/api/v1/models/_message.json.jbuilder (Client API messages index,
// create, update, and the `messages` of the public conversation partial): id, content,
// message_type as its integer, content_type, content_attributes, created_at in epoch seconds,
// conversation_id as the display id, `attachments` only when there are any and `sender` only when
// there is one. The sender is its push_event_data (User, Contact, AgentBot), enumerated here
// field by field so that nothing added to the agent-side shapes can reach a contact.
import { Type, type Static } from 'typebox';
import type { Attachment, Message } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { availableName, thumbnailFor } from './agent.js';
import { AttachmentSchema, attachmentJson, type AttachmentUrls } from './attachment.js';
import { AVAILABILITIES, MESSAGE_CONTENT_TYPES, enumName } from '../core/db/enums.js';
import type { SenderView } from './message.js';
import { epochSeconds } from './time.js';

const Attributes = Type.Record(Type.String(), Type.Unknown());

const PublicUserSender = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    available_name: Type.String(),
    avatar_url: Type.String(),
    type: Type.Literal('user'),
    availability_status: Type.Enum(AVAILABILITIES),
    thumbnail: Type.String(),
  },
  { title: 'PublicUserSender' },
);
const PublicContactSender = Type.Object(
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
  { title: 'PublicContactSender' },
);
const PublicBotSender = Type.Object(
  {
    id: Type.Integer(),
    name: NullableString(),
    avatar_url: Type.String(),
    type: Type.Literal('agent_bot'),
  },
  { title: 'PublicAgentBotSender' },
);
export const PublicSenderSchema = Type.Union([PublicUserSender, PublicContactSender, PublicBotSender]);

export const PublicMessageSchema = Type.Object(
  {
    id: Type.Integer(),
    content: NullableString(),
    message_type: Type.Integer({ description: '0 incoming (from the contact), 1 outgoing, 3 template' }),
    content_type: Type.Enum(MESSAGE_CONTENT_TYPES),
    content_attributes: Attributes,
    created_at: Type.Integer({ description: 'epoch seconds' }),
    conversation_id: Type.Integer({ description: "The conversation's display id" }),
    attachments: Type.Optional(Type.Array(AttachmentSchema)),
    sender: Type.Optional(PublicSenderSchema),
  },
  { title: 'PublicMessage' },
);

export type PublicMessageJson = Static<typeof PublicMessageSchema>;

/** What a message is rendered with besides its row. */
export interface PublicMessageView {
  message: Message;
  conversationDisplayId: number;
  sender?: SenderView;
  attachments: Attachment[];
}

function publicSenderJson(sender: SenderView): Static<typeof PublicSenderSchema> {
  if (sender.type === 'User') {
    const { user } = sender;
    return {
      id: user.id,
      name: user.name,
      available_name: availableName(user),
      avatar_url: user.avatar_url ?? '',
      type: 'user',
      availability_status: sender.availability ?? 'offline',
      thumbnail: thumbnailFor(user),
    };
  }
  if (sender.type === 'Contact') {
    const { contact } = sender;
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
      type: 'contact',
    };
  }
  return { id: sender.bot.id, name: sender.bot.name, avatar_url: sender.bot.avatar_url ?? '', type: 'agent_bot' };
}

/** A private note or an activity message never reaches a contact; callers filter, this guards. */
export function isContactVisible(message: Pick<Message, 'private' | 'message_type'>): boolean {
  return !message.private && message.message_type !== 2;
}

export function publicMessageJson(view: PublicMessageView, urls: AttachmentUrls): PublicMessageJson {
  const { message } = view;
  if (message.private) throw new Error(`private message ${message.id} must not be rendered for a contact`);
  return {
    id: message.id,
    content: message.content,
    message_type: message.message_type,
    content_type: enumName(MESSAGE_CONTENT_TYPES, message.content_type),
    content_attributes: message.content_attributes,
    created_at: epochSeconds(message.created_at),
    conversation_id: view.conversationDisplayId,
    ...(view.attachments.length ? { attachments: view.attachments.map((a) => attachmentJson(a, urls)) } : {}),
    ...(view.sender ? { sender: publicSenderJson(view.sender) } : {}),
  };
}
