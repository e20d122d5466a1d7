import { Type, type Static } from 'typebox';
import {
  Attributes,
  NullableId,
  NullableInteger,
  NullableShortText,
  NullableText,
  NullableUrl,
  ShortText,
} from '../../core/http/schemas.js';
import { SENDER_NAME_TYPES } from '../../serializers/inbox.js';

const Hour = NullableInteger({ minimum: 0, maximum: 23 });
const Minute = NullableInteger({ minimum: 0, maximum: 59 });

export const WorkingHoursInput = Type.Object({
  day_of_week: Type.Integer({ minimum: 0, maximum: 6 }),
  closed_all_day: Type.Optional(Type.Boolean()),
  open_hour: Type.Optional(Hour),
  open_minutes: Type.Optional(Minute),
  close_hour: Type.Optional(Hour),
  close_minutes: Type.Optional(Minute),
  open_all_day: Type.Optional(Type.Boolean()),
});
export type WorkingHoursInput = Static<typeof WorkingHoursInput>;

export const ChannelInput = Type.Object({
  type: Type.Optional(ShortText({ description: 'Only "api" is supported' })),
  webhook_url: Type.Optional(NullableUrl()),
  hmac_mandatory: Type.Optional(Type.Boolean()),
  additional_attributes: Type.Optional(Attributes()),
});

/** Chatwoot's inbox_attributes plus `channel`. */
export const InboxBody = Type.Object({
  name: Type.Optional(ShortText()),
  greeting_enabled: Type.Optional(Type.Boolean()),
  greeting_message: Type.Optional(NullableText()),
  enable_email_collect: Type.Optional(Type.Boolean()),
  csat_survey_enabled: Type.Optional(Type.Boolean()),
  csat_config: Type.Optional(Attributes()),
  enable_auto_assignment: Type.Optional(Type.Boolean()),
  auto_assignment_config: Type.Optional(Attributes()),
  working_hours_enabled: Type.Optional(Type.Boolean()),
  out_of_office_message: Type.Optional(NullableText()),
  timezone: Type.Optional(ShortText()),
  allow_messages_after_resolved: Type.Optional(Type.Boolean()),
  lock_to_single_conversation: Type.Optional(Type.Boolean()),
  sender_name_type: Type.Optional(Type.Enum(SENDER_NAME_TYPES)),
  business_name: Type.Optional(NullableShortText()),
  working_hours: Type.Optional(Type.Array(WorkingHoursInput, { maxItems: 7 })),
  channel: Type.Optional(ChannelInput),
});
export type InboxBody = Static<typeof InboxBody>;

export const SetAgentBotBody = Type.Object({
  agent_bot: Type.Optional(NullableId({ description: 'Bot id, or null to detach' })),
});

export const DeletedMessage = Type.Object({ message: Type.String() });
