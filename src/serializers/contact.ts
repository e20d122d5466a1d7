// Mirrors app/views/api/v1/models/_contact.json.jbuilder (with _contact_inbox and _inbox_slim),
// and the raw Inbox dump in POST /contacts' contact_inbox. Chatwoot 4.x adds `company_id` after
// `identifier` when the account has the `companies` feature on.
import { Type, type Static } from 'typebox';
import type { Contact, ContactInbox, Inbox } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { enumName } from '../core/db/enums.js';
import { SENDER_NAME_TYPES } from './inbox.js';
import { epochSeconds, isoTime } from './time.js';

const Attributes = Type.Record(Type.String(), Type.Unknown());

export const InboxSlimSchema = Type.Object({
  id: Type.Integer(),
  avatar_url: Type.String(),
  channel_id: Type.Integer(),
  name: Type.String(),
  channel_type: Type.String(),
  provider: Type.Null(),
});

export function inboxSlimJson(inbox: Inbox) {
  return {
    id: inbox.id,
    avatar_url: inbox.avatar_url ?? '',
    channel_id: inbox.channel_id,
    name: inbox.name,
    channel_type: inbox.channel_type,
    provider: null,
  };
}

export const ContactInboxSchema = Type.Object({ source_id: Type.String(), inbox: InboxSlimSchema });

export function contactInboxJson(contactInbox: ContactInbox, inbox: Inbox) {
  return { source_id: contactInbox.source_id, inbox: inboxSlimJson(inbox) };
}

export const ContactSchema = Type.Object(
  {
    additional_attributes: Attributes,
    availability_status: Type.Enum(['online', 'offline']),
    email: NullableString(),
    id: Type.Integer(),
    name: Type.String(),
    phone_number: NullableString(),
    blocked: Type.Boolean(),
    identifier: NullableString(),
    company_id: Type.Optional(NullableInteger({ description: "present when the account has the 'companies' feature" })),
    thumbnail: Type.String(),
    custom_attributes: Attributes,
    last_activity_at: Type.Optional(Type.Integer({ description: 'epoch seconds; absent when never active' })),
    created_at: Type.Optional(Type.Integer({ description: 'epoch seconds' })),
    contact_inboxes: Type.Optional(Type.Array(ContactInboxSchema)),
  },
  { title: 'Contact' },
);

export type ContactJson = Static<typeof ContactSchema>;

/** A contact with its inboxes, when the partial is asked to include them. */
export interface ContactView {
  contact: Contact;
  contactInboxes?: Array<{ contactInbox: ContactInbox; inbox: Inbox }>;
  online?: boolean;
  /** The account has the `companies` feature: the partial shows `company_id`. */
  companies?: boolean;
}

export function contactJson({ contact, contactInboxes, online, companies }: ContactView): ContactJson {
  return {
    additional_attributes: contact.additional_attributes,
    availability_status: online ? 'online' : 'offline',
    email: contact.email,
    id: contact.id,
    name: contact.name,
    phone_number: contact.phone_number,
    blocked: contact.blocked,
    identifier: contact.identifier,
    ...(companies ? { company_id: contact.company_id } : {}),
    thumbnail: contact.avatar_url ?? '',
    custom_attributes: contact.custom_attributes,
    // jbuilder `if` guards: the keys are absent rather than 0 when unset
    ...(contact.last_activity_at ? { last_activity_at: epochSeconds(contact.last_activity_at) } : {}),
    ...(contact.created_at ? { created_at: epochSeconds(contact.created_at) } : {}),
    ...(contactInboxes
      ? { contact_inboxes: contactInboxes.map(({ contactInbox, inbox }) => contactInboxJson(contactInbox, inbox)) }
      : {}),
  };
}

/** `@contact_inbox&.inbox` dumped by to_json: the inbox row's columns. */
export function rawInboxJson(inbox: Inbox) {
  return {
    id: inbox.id,
    channel_id: inbox.channel_id,
    account_id: inbox.account_id,
    name: inbox.name,
    created_at: isoTime(inbox.created_at),
    updated_at: isoTime(inbox.updated_at),
    channel_type: inbox.channel_type,
    enable_auto_assignment: inbox.enable_auto_assignment,
    greeting_enabled: inbox.greeting_enabled,
    greeting_message: inbox.greeting_message,
    email_address: null,
    working_hours_enabled: inbox.working_hours_enabled,
    out_of_office_message: inbox.out_of_office_message,
    timezone: inbox.timezone,
    enable_email_collect: inbox.enable_email_collect,
    csat_survey_enabled: inbox.csat_survey_enabled,
    allow_messages_after_resolved: inbox.allow_messages_after_resolved,
    auto_assignment_config: inbox.auto_assignment_config,
    lock_to_single_conversation: inbox.lock_to_single_conversation,
    portal_id: null,
    sender_name_type: enumName(SENDER_NAME_TYPES, inbox.sender_name_type),
    business_name: inbox.business_name,
    csat_config: inbox.csat_config,
  };
}
