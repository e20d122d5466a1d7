import { Type, type Static } from 'typebox';
import { NullableString } from '../../core/http/schemas.js';

/** POST/PATCH /contacts: top-level params, as Chatwoot permits them. */
export const ContactBody = Type.Object({
  name: Type.Optional(NullableString()),
  email: Type.Optional(NullableString()),
  phone_number: Type.Optional(NullableString({ description: 'E.164, e.g. +15551234567' })),
  identifier: Type.Optional(NullableString()),
  blocked: Type.Optional(Type.Boolean()),
  avatar_url: Type.Optional(NullableString()),
  additional_attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  custom_attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  inbox_id: Type.Optional(Type.Unsafe<number | string | null>({ type: ['integer', 'string', 'null'], description: 'Also create the contact inbox' })),
  source_id: Type.Optional(NullableString()),
});
export type ContactBody = Static<typeof ContactBody>;

export const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  sort: Type.Optional(Type.String({ description: 'name, email, phone_number, last_activity_at, created_at, company, city, country; "-" for descending' })),
  labels: Type.Optional(Type.Array(Type.String(), { maxItems: 100, description: 'labels[]=a&labels[]=b' })),
  include_contact_inboxes: Type.Optional(Type.String()),
  q: Type.Optional(Type.String()),
});
export type ListQuery = Static<typeof ListQuery>;

export const FilterBody = Type.Object({
  payload: Type.Optional(Type.Array(Type.Object({
    attribute_key: Type.String(),
    filter_operator: Type.String(),
    values: Type.Optional(Type.Unknown()),
    query_operator: Type.Optional(Type.Unknown()),
  }, { additionalProperties: true }), { maxItems: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const CustomAttributeKeysBody = Type.Object({ custom_attributes: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })) });
export const LabelsBody = Type.Object({ labels: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })) });
export const ContactIdParams = Type.Object({ contact_id: Type.String() });
export const NoteParams = Type.Object({ contact_id: Type.String(), id: Type.String() });
const NoteFields = Type.Object({ content: Type.Optional(Type.String({ maxLength: 20_000 })) });
export const NoteBody = Type.Object({ note: Type.Optional(NoteFields), ...NoteFields.properties });
export const ContactInboxBody = Type.Object({
  inbox_id: Type.Optional(Type.Unsafe<number | string | null>({ type: ['integer', 'string', 'null'] })),
  source_id: Type.Optional(NullableString()),
});
export const MergeBody = Type.Object({
  base_contact_id: Type.Optional(Type.Unsafe<number | string>({ type: ['integer', 'string'] })),
  mergee_contact_id: Type.Optional(Type.Unsafe<number | string>({ type: ['integer', 'string'] })),
});

export const ExportBody = Type.Object({
  column_names: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
  payload: Type.Optional(FilterBody.properties.payload),
  label: Type.Optional(NullableString()),
});
