import { Type, type Static } from 'typebox';
import {
  Attributes as AttributesOf,
  LIMITS,
  NullableEpochSeconds,
  NullableIdOrText,
  NullableLongText,
  NullableShortText,
  Page,
  SearchText,
  ShortText,
} from '../../core/http/schemas.js';

const Attributes = AttributesOf();
/** An id given as a number or numeric string, or null. */
const IdValue = NullableIdOrText();

export const ConversationParams = Type.Object({ id: Type.String({ description: "The conversation's display id" }) });
export const ConversationIdParams = Type.Object({
  conversation_id: Type.String({ description: "The conversation's display id" }),
});

export const ListQuery = Type.Object({
  status: Type.Optional(ShortText({ description: 'open (default), resolved, pending, snoozed or all' })),
  assignee_type: Type.Optional(ShortText({ description: 'me, unassigned, assigned or all' })),
  inbox_id: Type.Optional(ShortText()),
  team_id: Type.Optional(ShortText()),
  labels: Type.Optional(Type.Array(ShortText(), { maxItems: 100, description: 'labels[]=a&labels[]=b (any of them)' })),
  q: Type.Optional(SearchText()),
  page: Type.Optional(Page()),
  sort_by: Type.Optional(
    ShortText({
      description:
        'last_activity_at_desc (default), last_activity_at_asc, created_at_asc|desc, priority_asc|desc, waiting_since_asc|desc, priority_desc_created_at_asc',
    }),
  ),
  source_id: Type.Optional(ShortText()),
  conversation_type: Type.Optional(ShortText({ description: 'mention, participating or unattended' })),
  updated_within: Type.Optional(ShortText({ description: 'seconds; all matches updated in that window, unpaged' })),
});
export type ListQuery = Static<typeof ListQuery>;

export const CreateBody = Type.Object({
  inbox_id: Type.Optional(IdValue),
  contact_id: Type.Optional(IdValue),
  source_id: Type.Optional(NullableShortText()),
  status: Type.Optional(NullableShortText({ description: 'open (default), pending, resolved or snoozed' })),
  assignee_id: Type.Optional(IdValue),
  team_id: Type.Optional(IdValue),
  snoozed_until: Type.Optional(NullableEpochSeconds()),
  additional_attributes: Type.Optional(Attributes),
  custom_attributes: Type.Optional(Attributes),
  message: Type.Optional(
    Type.Object(
      {
        content: Type.Optional(NullableLongText()),
        template_params: Type.Optional(Attributes),
      },
      { additionalProperties: true },
    ),
  ),
});
export type CreateBody = Static<typeof CreateBody>;

export const UpdateBody = Type.Object({
  priority: Type.Optional(NullableShortText()),
  sla_policy_id: Type.Optional(IdValue),
  additional_attributes: Type.Optional(Attributes),
  custom_attributes: Type.Optional(Attributes),
});
export type UpdateBody = Static<typeof UpdateBody>;

export const ToggleStatusBody = Type.Object({
  status: Type.Optional(NullableShortText()),
  snoozed_until: Type.Optional(NullableEpochSeconds({ description: 'unix seconds' })),
});
export const TogglePriorityBody = Type.Object({ priority: Type.Optional(NullableShortText()) });
export const TypingBody = Type.Object({
  typing_status: Type.Optional(NullableShortText({ description: 'on, off or recording' })),
  is_private: Type.Optional(Type.Unsafe<boolean | string>({ type: ['boolean', 'string'], maxLength: LIMITS.short })),
});
export const CustomAttributesBody = Type.Object({ custom_attributes: Type.Optional(Attributes) });
export const AssignmentBody = Type.Object({ assignee_id: Type.Optional(IdValue), team_id: Type.Optional(IdValue) });
export type AssignmentBody = Static<typeof AssignmentBody>;
export const ParticipantsBody = Type.Object({ user_ids: Type.Optional(Type.Array(IdValue, { maxItems: 1000 })) });
