import { Type, type Static } from 'typebox';
import { NullableString } from '../../core/http/schemas.js';

const Attributes = Type.Record(Type.String(), Type.Unknown());
/** An id given as a number or numeric string, or null. */
const IdValue = Type.Unsafe<number | string | null>({ type: ['integer', 'string', 'null'] });

export const ConversationParams = Type.Object({ id: Type.String({ description: "The conversation's display id" }) });
export const ConversationIdParams = Type.Object({ conversation_id: Type.String({ description: "The conversation's display id" }) });

export const ListQuery = Type.Object({
  status: Type.Optional(Type.String({ description: 'open (default), resolved, pending, snoozed or all' })),
  assignee_type: Type.Optional(Type.String({ description: 'me, unassigned, assigned or all' })),
  inbox_id: Type.Optional(Type.String()),
  team_id: Type.Optional(Type.String()),
  labels: Type.Optional(Type.Array(Type.String(), { maxItems: 100, description: 'labels[]=a&labels[]=b (any of them)' })),
  q: Type.Optional(Type.String({ maxLength: 1000 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  sort_by: Type.Optional(Type.String({ description: 'last_activity_at_desc (default), last_activity_at_asc, created_at_asc|desc, priority_asc|desc, waiting_since_asc|desc, priority_desc_created_at_asc' })),
  source_id: Type.Optional(Type.String()),
  conversation_type: Type.Optional(Type.String({ description: 'mention, participating or unattended' })),
  updated_within: Type.Optional(Type.String({ description: 'seconds; all matches updated in that window, unpaged' })),
});
export type ListQuery = Static<typeof ListQuery>;

export const CreateBody = Type.Object({
  inbox_id: Type.Optional(IdValue),
  contact_id: Type.Optional(IdValue),
  source_id: Type.Optional(NullableString()),
  status: Type.Optional(NullableString({ description: 'open (default), pending, resolved or snoozed' })),
  assignee_id: Type.Optional(IdValue),
  team_id: Type.Optional(IdValue),
  snoozed_until: Type.Optional(Type.Unsafe<number | string | null>({ type: ['integer', 'string', 'null'] })),
  additional_attributes: Type.Optional(Attributes),
  custom_attributes: Type.Optional(Attributes),
  message: Type.Optional(Type.Object({
    content: Type.Optional(NullableString({ maxLength: 150_000 })),
    template_params: Type.Optional(Attributes),
  }, { additionalProperties: true })),
});
export type CreateBody = Static<typeof CreateBody>;

export const UpdateBody = Type.Object({
  priority: Type.Optional(NullableString()),
  sla_policy_id: Type.Optional(IdValue),
  additional_attributes: Type.Optional(Attributes),
  custom_attributes: Type.Optional(Attributes),
});
export type UpdateBody = Static<typeof UpdateBody>;

export const ToggleStatusBody = Type.Object({
  status: Type.Optional(NullableString()),
  snoozed_until: Type.Optional(Type.Unsafe<number | string | null>({ type: ['integer', 'string', 'null'], description: 'unix seconds' })),
});
export const TogglePriorityBody = Type.Object({ priority: Type.Optional(NullableString()) });
export const TypingBody = Type.Object({
  typing_status: Type.Optional(NullableString({ description: 'on, off or recording' })),
  is_private: Type.Optional(Type.Unsafe<boolean | string>({ type: ['boolean', 'string'] })),
});
export const CustomAttributesBody = Type.Object({ custom_attributes: Type.Optional(Attributes) });
export const AssignmentBody = Type.Object({ assignee_id: Type.Optional(IdValue), team_id: Type.Optional(IdValue) });
export type AssignmentBody = Static<typeof AssignmentBody>;
export const ParticipantsBody = Type.Object({ user_ids: Type.Optional(Type.Array(IdValue, { maxItems: 1000 })) });
