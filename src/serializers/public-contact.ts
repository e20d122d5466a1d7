// Contact shapes sent to the contact itself by the Client API, as allow-lists:
// - publicContactInboxJson mirrors app/views/public/api/v1/inboxes/contacts/create.json.jbuilder
//   (and show.json.jbuilder): source_id and pubsub_token of the contact inbox, then the
//   app/views/public/api/v1/models/_contact.json.jbuilder partial (id, name, email). The partial's
//   own `pubsub_token` key is the contact inbox's here: the token the /cable RoomChannel accepts.
// - contactRecordJson mirrors `render json: contact` (Contact#as_json: the contacts columns) used
//   by contacts#update and embedded as `contact` in app/views/public/api/v1/models/_conversation.
import { Type, type Static } from 'typebox';
import type { Contact, ContactInbox } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { isoTime } from './time.js';

const Attributes = Type.Record(Type.String(), Type.Unknown());
export const CONTACT_TYPES = ['visitor', 'lead', 'customer'] as const;

export const PublicContactInboxSchema = Type.Object(
  {
    source_id: Type.String({ description: 'The contact identifier used in Client API paths' }),
    pubsub_token: Type.String({ description: 'Subscribes the contact to its /cable RoomChannel' }),
    id: Type.Integer(),
    name: Type.String(),
    email: NullableString(),
  },
  { title: 'PublicContactInbox' },
);

export function publicContactInboxJson(
  contactInbox: ContactInbox,
  contact: Contact,
): Static<typeof PublicContactInboxSchema> {
  return {
    source_id: contactInbox.source_id,
    pubsub_token: contactInbox.pubsub_token,
    id: contact.id,
    name: contact.name,
    email: contact.email,
  };
}

export const ContactRecordSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    email: NullableString(),
    phone_number: NullableString(),
    account_id: Type.Integer(),
    created_at: Type.String({ description: 'ISO 8601' }),
    updated_at: Type.String({ description: 'ISO 8601' }),
    additional_attributes: Attributes,
    identifier: NullableString(),
    custom_attributes: Attributes,
    last_activity_at: NullableString({ description: 'ISO 8601' }),
    contact_type: Type.Enum(CONTACT_TYPES),
    middle_name: NullableString(),
    last_name: NullableString(),
    location: NullableString(),
    country_code: NullableString(),
    blocked: Type.Boolean(),
  },
  { title: 'PublicContactRecord' },
);

export type ContactRecordJson = Static<typeof ContactRecordSchema>;

/** The contact row as Rails' as_json renders it (column order, ISO timestamps, enum names). */
export function contactRecordJson(contact: Contact): ContactRecordJson {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone_number: contact.phone_number,
    account_id: contact.account_id,
    created_at: isoTime(contact.created_at)!,
    updated_at: isoTime(contact.updated_at)!,
    additional_attributes: contact.additional_attributes,
    identifier: contact.identifier,
    custom_attributes: contact.custom_attributes,
    last_activity_at: isoTime(contact.last_activity_at),
    contact_type: CONTACT_TYPES[contact.contact_type] ?? 'visitor',
    middle_name: contact.middle_name,
    last_name: contact.last_name,
    location: contact.location,
    country_code: contact.country_code,
    blocked: contact.blocked,
  };
}
