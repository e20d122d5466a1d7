// Mirrors app/views/api/v1/accounts/notifications/index.json.jbuilder (the list),
// Notification#push_event_data (app/models/notification.rb: realtime notification.created/updated)
// and `render json: @notification` (the raw model: update, unread, snooze).
import { Type, type Static } from 'typebox';
import type { Notification } from '../core/db/schema.js';
import type { NotificationView } from '../core/db/views.js';
import { NullableString } from '../core/http/schemas.js';
import { pushMessageBody, pushMessageTitle, quotedMessageKind, type QuotedMessage } from './notification-text.js';
import type { AttachmentUrls } from './attachment.js';
import { conversationPushJson } from './conversation.js';
import {
  AgentBotPushSchema,
  MessagePushSchema,
  UserPushSchema,
  messagePushJson,
  userPushJson,
  type MessageView,
} from './message.js';
import { SlaPolicyPushSchema, slaPolicyPushJson } from './sla-policy.js';
import { epochSeconds, isoTime } from './time.js';

/** Notification::NOTIFICATION_TYPES (integer column, name on the wire). */
export const NOTIFICATION_TYPES = {
  conversation_creation: 1,
  conversation_assignment: 2,
  assigned_conversation_new_message: 3,
  conversation_mention: 4,
  participating_conversation_new_message: 5,
  sla_missed_first_response: 6,
  sla_missed_next_response: 7,
  sla_missed_resolution: 8,
} as const;
export type NotificationType = keyof typeof NOTIFICATION_TYPES;
const TYPE_NAMES = Object.keys(NOTIFICATION_TYPES) as NotificationType[];
export const notificationTypeName = (value: number): NotificationType =>
  TYPE_NAMES.find((name) => NOTIFICATION_TYPES[name] === value) ?? 'conversation_creation';

export type { NotificationView };

const Attributes = Type.Record(Type.String(), Type.Unknown());
const ConversationPush = Type.Record(Type.String(), Type.Unknown(), {
  description: "The conversation's push_event_data (id is its display id)",
});
const SecondaryActor = Type.Union([
  MessagePushSchema,
  UserPushSchema,
  AgentBotPushSchema,
  SlaPolicyPushSchema,
  Type.Null(),
]);
const UserOrNull = Type.Union([UserPushSchema, Type.Null()]);

export const NotificationSchema = Type.Object(
  {
    id: Type.Integer(),
    notification_type: Type.Enum(TYPE_NAMES),
    push_message_title: Type.String(),
    primary_actor_type: Type.Literal('Conversation'),
    primary_actor_id: Type.Integer({ description: "The conversation's database id (not its display id)" }),
    primary_actor: Type.Union([ConversationPush, Type.Null()]),
    read_at: NullableString({ description: 'ISO 8601' }),
    secondary_actor: SecondaryActor,
    user: UserOrNull,
    created_at: Type.Integer(),
    last_activity_at: Type.Integer(),
    snoozed_until: NullableString({ description: 'ISO 8601' }),
    meta: Attributes,
  },
  { title: 'Notification' },
);

export const NotificationPushSchema = Type.Object(
  {
    id: Type.Integer(),
    notification_type: Type.Enum(TYPE_NAMES),
    primary_actor_type: Type.Literal('Conversation'),
    primary_actor_id: Type.Integer(),
    read_at: NullableString(),
    secondary_actor: SecondaryActor,
    user: UserOrNull,
    created_at: Type.Integer(),
    last_activity_at: Type.Integer(),
    snoozed_until: NullableString(),
    meta: Attributes,
    account_id: Type.Integer(),
    primary_actor: Type.Optional(ConversationPush),
    push_message_title: Type.Optional(Type.String({ description: 'The body text, under its historical name' })),
  },
  { title: 'NotificationPushData' },
);

export const NotificationRecordSchema = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    user_id: Type.Integer(),
    notification_type: Type.Enum(TYPE_NAMES),
    primary_actor_type: Type.Literal('Conversation'),
    primary_actor_id: Type.Integer(),
    secondary_actor_type: NullableString(),
    secondary_actor_id: Type.Union([Type.Integer(), Type.Null()]),
    read_at: NullableString(),
    created_at: Type.String(),
    updated_at: Type.String(),
    snoozed_until: NullableString(),
    last_activity_at: Type.String(),
    meta: Attributes,
  },
  { title: 'NotificationRecord' },
);

function secondaryJson(view: NotificationView, urls: AttachmentUrls) {
  const secondary = view.secondary;
  if (!secondary) return null;
  if (secondary.type === 'Message') return messagePushJson(secondary.view, urls);
  if (secondary.type === 'User') return userPushJson(secondary.user, secondary.availability);
  if (secondary.type === 'SlaPolicy') return slaPolicyPushJson(secondary.policy);
  return {
    id: secondary.bot.id,
    name: secondary.bot.name,
    avatar_url: secondary.bot.avatar_url ?? '',
    type: 'agent_bot' as const,
  };
}

function quotedOf(view: MessageView | undefined): QuotedMessage | undefined {
  if (!view) return undefined;
  const sender = view.sender;
  const senderName = !sender
    ? null
    : sender.type === 'User'
      ? sender.user.name
      : sender.type === 'Contact'
        ? sender.contact.name
        : sender.bot.name;
  return { senderName, content: view.message.content, hasAttachments: view.attachments.length > 0 };
}

/** Notification#push_message_body (quoted message, or '' for a type that quotes none). */
export function notificationBody(view: NotificationView): string {
  const type = notificationTypeName(view.notification.notification_type);
  return quotedMessageKind(type) === 'none' ? '' : pushMessageBody(quotedOf(view.quoted));
}

/** The fields the REST and realtime shapes share, in their order. */
function sharedFields(view: NotificationView, urls: AttachmentUrls) {
  const n = view.notification;
  return {
    read_at: isoTime(n.read_at),
    secondary_actor: secondaryJson(view, urls),
    user: userPushJson(view.user.user, view.user.availability),
    created_at: epochSeconds(n.created_at),
    last_activity_at: epochSeconds(n.last_activity_at),
    snoozed_until: isoTime(n.snoozed_until),
    meta: n.meta,
  };
}

/** One entry of GET /notifications (index.json.jbuilder): push_message_title is the title here. */
export function notificationJson(view: NotificationView, urls: AttachmentUrls): Static<typeof NotificationSchema> {
  const { notification: n, conversation } = view;
  const type = notificationTypeName(n.notification_type);
  return {
    id: n.id,
    notification_type: type,
    push_message_title: conversation
      ? pushMessageTitle(type, conversation.conversation.display_id, conversation.inbox.name)
      : '',
    primary_actor_type: 'Conversation',
    primary_actor_id: n.primary_actor_id,
    primary_actor: conversation ? conversationPushJson(conversation, urls) : null,
    ...sharedFields(view, urls),
  };
}

/** Notification#push_event_data (realtime): push_message_title carries the body text, as upstream does. */
export function notificationPushJson(
  view: NotificationView,
  urls: AttachmentUrls,
): Static<typeof NotificationPushSchema> {
  const { notification: n, conversation } = view;
  return {
    id: n.id,
    notification_type: notificationTypeName(n.notification_type),
    primary_actor_type: 'Conversation',
    primary_actor_id: n.primary_actor_id,
    ...sharedFields(view, urls),
    account_id: n.account_id,
    ...(conversation
      ? { primary_actor: conversationPushJson(conversation, urls), push_message_title: notificationBody(view) }
      : {}),
  };
}

/** `render json: @notification`: every column, id first then in table order, timestamps ISO 8601. */
export function notificationRecordJson(n: Notification): Static<typeof NotificationRecordSchema> {
  return {
    id: n.id,
    account_id: n.account_id,
    user_id: n.user_id,
    notification_type: notificationTypeName(n.notification_type),
    primary_actor_type: 'Conversation',
    primary_actor_id: n.primary_actor_id,
    secondary_actor_type: n.secondary_actor_type,
    secondary_actor_id: n.secondary_actor_id,
    read_at: isoTime(n.read_at),
    created_at: isoTime(n.created_at)!,
    updated_at: isoTime(n.updated_at)!,
    snoozed_until: isoTime(n.snoozed_until),
    last_activity_at: isoTime(n.last_activity_at)!,
    meta: n.meta,
  };
}
