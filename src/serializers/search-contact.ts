// Mirrors app/views/api/v1/accounts/search/_contact.json.jbuilder: the slim contact of global
// search results (`last_activity_at` in epoch seconds, null when the contact was never active).
import { Type, type Static } from 'typebox';
import type { Contact } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { epochSeconds } from './time.js';

export const SearchContactSchema = Type.Object(
  {
    email: NullableString(),
    id: Type.Integer(),
    name: Type.String(),
    phone_number: NullableString(),
    identifier: NullableString(),
    additional_attributes: Type.Record(Type.String(), Type.Unknown()),
    last_activity_at: NullableInteger(),
  },
  { title: 'SearchContact' },
);

export function searchContactJson(contact: Contact): Static<typeof SearchContactSchema> {
  return {
    email: contact.email,
    id: contact.id,
    name: contact.name,
    phone_number: contact.phone_number,
    identifier: contact.identifier,
    additional_attributes: contact.additional_attributes,
    last_activity_at: contact.last_activity_at ? epochSeconds(contact.last_activity_at) : null,
  };
}
