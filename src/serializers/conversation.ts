// Mirrors app/views/api/v1/conversations/partials/_conversation.json.jbuilder: the conversation
// agents see (index, show, create, update, filter, search, contact conversations).
import { Type, type Static } from 'typebox';
import type { ContactInbox } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { AgentSchema, agentJson, availabilityStatus } from './agent.js';
import { AppliedSlaSchema, SlaEventSchema, appliedSlaJson, slaEventJson, slaEventPushJson } from './applied-sla.js';
import type { AttachmentUrls } from './attachment.js';
import { ContactSchema, contactJson } from './contact.js';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, enumName } from '../core/db/enums.js';
import { MessagePushSchema, contactPushJson, messagePushJson, userPushJson } from './message.js';
import { TeamSchema, teamJson } from './team.js';
import { epochSeconds, isoTime } from './time.js';
import type { ConversationView } from '../core/db/views.js';

export type { ConversationView };

const Attributes = Type.Record(Type.String(), Type.Unknown());

export const ConversationSchema = Type.Object(
  {
    meta: Type.Object({
      sender: ContactSchema,
      channel: Type.String(),
      assignee: Type.Optional(AgentSchema),
      team: Type.Optional(TeamSchema),
      hmac_verified: Type.Union([Type.Boolean(), Type.Null()]),
    }),
    id: Type.Integer({ description: 'The per-account display id (used in URLs)' }),
    messages: Type.Array(MessagePushSchema, { description: 'Only the last message' }),
    account_id: Type.Integer(),
    uuid: Type.String(),
    additional_attributes: Attributes,
    agent_last_seen_at: Type.Integer(),
    assignee_last_seen_at: Type.Integer(),
    can_reply: Type.Boolean(),
    contact_last_seen_at: Type.Integer(),
    custom_attributes: Attributes,
    inbox_id: Type.Integer(),
    labels: Type.Array(Type.String()),
    muted: Type.Boolean(),
    snoozed_until: NullableString({ description: 'ISO 8601' }),
    status: Type.Enum(CONVERSATION_STATUSES),
    created_at: Type.Integer(),
    updated_at: Type.Number({ description: 'epoch seconds with fractions' }),
    timestamp: Type.Integer(),
    first_reply_created_at: Type.Integer(),
    unread_count: Type.Integer(),
    last_non_activity_message: Type.Union([MessagePushSchema, Type.Null()]),
    last_activity_at: Type.Integer(),
    priority: Type.Union([Type.Enum(CONVERSATION_PRIORITIES), Type.Null()]),
    waiting_since: Type.Integer(),
    sla_policy_id: NullableInteger(),
    // enterprise/app/views/enterprise/api/v1/conversations/partials/_conversation.json.jbuilder,
    // when the account's `sla` feature is on: `{}` without an applied SLA
    applied_sla: Type.Optional(Type.Union([AppliedSlaSchema, Type.Object({}, { additionalProperties: false })])),
    sla_events: Type.Optional(Type.Array(SlaEventSchema)),
  },
  { title: 'Conversation' },
);

export type ConversationJson = Static<typeof ConversationSchema>;

export function conversationJson(view: ConversationView, urls: AttachmentUrls): ConversationJson {
  const { conversation: c } = view;
  return {
    meta: {
      sender: contactJson({ contact: view.contact }),
      channel: view.inbox.channel_type,
      ...(view.assignee ? { assignee: agentJson(view.assignee) } : {}),
      ...(view.team ? { team: teamJson(view.team.team, view.team.isMember) } : {}),
      hmac_verified: view.contactInbox?.hmac_verified ?? null,
    },
    id: c.display_id,
    messages: view.lastMessage ? [messagePushJson(view.lastMessage, urls)] : [],
    account_id: c.account_id,
    uuid: c.uuid,
    additional_attributes: c.additional_attributes,
    agent_last_seen_at: epochSeconds(c.agent_last_seen_at),
    assignee_last_seen_at: epochSeconds(c.assignee_last_seen_at),
    can_reply: true,
    contact_last_seen_at: epochSeconds(c.contact_last_seen_at),
    custom_attributes: c.custom_attributes,
    inbox_id: c.inbox_id,
    labels: view.labels,
    // Chatwoot's muted? is the contact being blocked (mute! blocks it)
    muted: view.contact.blocked,
    snoozed_until: isoTime(c.snoozed_until),
    status: enumName(CONVERSATION_STATUSES, c.status),
    created_at: epochSeconds(c.created_at),
    updated_at: new Date(c.updated_at).getTime() / 1000,
    timestamp: epochSeconds(c.last_activity_at),
    first_reply_created_at: epochSeconds(c.first_reply_created_at),
    unread_count: view.unreadCount,
    last_non_activity_message: view.lastNonActivityMessage ? messagePushJson(view.lastNonActivityMessage, urls) : null,
    last_activity_at: epochSeconds(c.last_activity_at),
    priority: c.priority === null ? null : enumName(CONVERSATION_PRIORITIES, c.priority),
    waiting_since: epochSeconds(c.waiting_since),
    sla_policy_id: c.sla_policy_id,
    ...(view.sla
      ? {
          applied_sla: view.sla.applied ? appliedSlaJson(view.sla.applied) : {},
          sla_events: view.sla.events.map(slaEventJson),
        }
      : {}),
  };
}

/** The raw contact_inbox row as Rails dumps it (pubsub_token included: agents and webhooks get it). */
export function rawContactInboxJson(contactInbox: ContactInbox) {
  return {
    id: contactInbox.id,
    contact_id: contactInbox.contact_id,
    inbox_id: contactInbox.inbox_id,
    source_id: contactInbox.source_id,
    created_at: isoTime(contactInbox.created_at),
    updated_at: isoTime(contactInbox.updated_at),
    hmac_verified: contactInbox.hmac_verified,
    pubsub_token: contactInbox.pubsub_token,
  };
}

/**
 * Conversations::EventDataPresenter#push_data: the conversation in realtime events (and in
 * webhooks). `lastMessage` here is the last chat message: neither activity nor private.
 */
export function conversationPushJson(view: ConversationView, urls: AttachmentUrls) {
  const { conversation: c } = view;
  return {
    additional_attributes: c.additional_attributes,
    can_reply: true,
    channel: view.inbox.channel_type,
    contact_inbox: view.contactInbox ? rawContactInboxJson(view.contactInbox) : null,
    id: c.display_id,
    inbox_id: c.inbox_id,
    messages: view.lastMessage ? [messagePushJson(view.lastMessage, urls)] : [],
    labels: view.labels,
    meta: {
      sender: contactPushJson(view.contact),
      assignee: view.assignee
        ? userPushJson(view.assignee.user, availabilityStatus(view.assignee.accountUser, view.assignee.online))
        : null,
      team: view.team ? { id: view.team.team.id, name: view.team.team.name } : null,
      hmac_verified: view.contactInbox?.hmac_verified ?? null,
    },
    status: enumName(CONVERSATION_STATUSES, c.status),
    custom_attributes: c.custom_attributes,
    snoozed_until: isoTime(c.snoozed_until),
    unread_count: view.unreadCount,
    first_reply_created_at: isoTime(c.first_reply_created_at),
    priority: c.priority === null ? null : enumName(CONVERSATION_PRIORITIES, c.priority),
    waiting_since: epochSeconds(c.waiting_since),
    agent_last_seen_at: epochSeconds(c.agent_last_seen_at),
    contact_last_seen_at: epochSeconds(c.contact_last_seen_at),
    last_activity_at: epochSeconds(c.last_activity_at),
    timestamp: epochSeconds(c.last_activity_at),
    created_at: epochSeconds(c.created_at),
    updated_at: new Date(c.updated_at).getTime() / 1000,
    ...(view.sla ? slaPushJson(view, view.sla) : {}),
  };
}

/**
 * Enterprise::Conversations::EventDataPresenter#push_data's keys (the account's `sla` feature on):
 * nil, none and nil for a blocked contact's conversation (Conversation#sla_applicable?).
 */
function slaPushJson(view: ConversationView, sla: NonNullable<ConversationView['sla']>) {
  const applicable = !view.contact.blocked;
  return {
    applied_sla: applicable && sla.applied ? appliedSlaJson(sla.applied) : null,
    sla_events: applicable ? sla.events.map(slaEventPushJson) : [],
    sla_policy_id: applicable ? view.conversation.sla_policy_id : null,
  };
}

/** Conversation#webhook_data: the push data (Conversations::EventDataPresenter#push_data), id = display id. */
export function conversationWebhookJson(view: ConversationView, urls: AttachmentUrls) {
  return conversationPushJson(view, urls);
}
