import { Type, type Static } from 'typebox';
import {
  Attributes,
  IdOrText,
  NullableIdOrText,
  NullableScalar,
  NullableShortText,
  NullableUrl,
  Page,
  SearchText,
  ShortText,
  Text,
} from '../../core/http/schemas.js';

/** POST/PATCH /contacts: top-level params, as Chatwoot permits them. */
export const ContactBody = Type.Object({
  name: Type.Optional(NullableShortText()),
  email: Type.Optional(NullableShortText()),
  phone_number: Type.Optional(NullableShortText({ description: 'E.164, e.g. +15551234567' })),
  identifier: Type.Optional(NullableShortText()),
  blocked: Type.Optional(Type.Boolean()),
  avatar_url: Type.Optional(NullableUrl()),
  additional_attributes: Type.Optional(Attributes()),
  custom_attributes: Type.Optional(Attributes()),
  inbox_id: Type.Optional(NullableIdOrText({ description: 'Also create the contact inbox' })),
  source_id: Type.Optional(NullableShortText()),
});
export type ContactBody = Static<typeof ContactBody>;

export const ListQuery = Type.Object({
  page: Type.Optional(Page()),
  sort: Type.Optional(
    ShortText({
      description:
        'name, email, phone_number, last_activity_at, created_at, company, city, country; "-" for descending',
    }),
  ),
  labels: Type.Optional(Type.Array(ShortText(), { maxItems: 100, description: 'labels[]=a&labels[]=b' })),
  include_contact_inboxes: Type.Optional(ShortText()),
  q: Type.Optional(SearchText()),
});
export type ListQuery = Static<typeof ListQuery>;

export const FilterBody = Type.Object({
  payload: Type.Optional(
    Type.Array(
      Type.Object(
        {
          attribute_key: ShortText(),
          filter_operator: ShortText(),
          values: Type.Optional(Type.Unknown()),
          query_operator: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: true },
      ),
      { maxItems: 100 },
    ),
  ),
  page: Type.Optional(Page()),
});

export const CustomAttributeKeysBody = Type.Object({
  custom_attributes: Type.Optional(Type.Array(ShortText(), { maxItems: 1000 })),
});
export const LabelsBody = Type.Object({ labels: Type.Optional(Type.Array(ShortText(), { maxItems: 1000 })) });
export const ContactIdParams = Type.Object({ contact_id: Type.String() });
export const NoteParams = Type.Object({ contact_id: Type.String(), id: Type.String() });
const NoteFields = Type.Object({ content: Type.Optional(Text({ maxLength: 20_000 })) });
export const NoteBody = Type.Object({ note: Type.Optional(NoteFields), ...NoteFields.properties });
export const ContactInboxBody = Type.Object({
  inbox_id: Type.Optional(NullableIdOrText()),
  source_id: Type.Optional(NullableShortText()),
});
/** ContactInboxesController#filter: `params.permit(:inbox_id, :source_id)` (a numeric source id reads as its text). */
export const ContactInboxFilterBody = Type.Object({
  inbox_id: Type.Optional(NullableIdOrText()),
  source_id: Type.Optional(NullableScalar({ description: "The contact's source id in the inbox" })),
});
export const MergeBody = Type.Object({
  base_contact_id: Type.Optional(IdOrText()),
  mergee_contact_id: Type.Optional(IdOrText()),
});

export const ExportBody = Type.Object({
  column_names: Type.Optional(Type.Array(ShortText(), { maxItems: 50 })),
  payload: Type.Optional(FilterBody.properties.payload),
  label: Type.Optional(NullableShortText()),
});
