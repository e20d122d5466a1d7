import { Type, type Static } from 'typebox';
import { Attributes, Id, NullableShortText, NullableText, ShortText } from '../../core/http/schemas.js';
import { AVAILABILITIES } from '../../core/db/enums.js';

const ProfileFields = Type.Object({
  name: Type.Optional(ShortText()),
  display_name: Type.Optional(NullableShortText()),
  email: Type.Optional(ShortText()),
  message_signature: Type.Optional(NullableText()),
  ui_settings: Type.Optional(Attributes({ description: 'Replaces the stored settings' })),
  phone_number: Type.Optional(NullableShortText({ description: 'Stored in custom_attributes' })),
  current_password: Type.Optional(ShortText()),
  password: Type.Optional(ShortText()),
  password_confirmation: Type.Optional(ShortText()),
  account_id: Type.Optional(Id()),
  availability: Type.Optional(Type.Enum(AVAILABILITIES)),
  auto_offline: Type.Optional(Type.Boolean()),
});

/**
 * Chatwoot reads `params.require(:profile)`; Rails' wrap_parameters also accepts the same keys
 * at the top level, so both shapes are accepted (the nested one wins).
 */
export const ProfileBody = Type.Object({ profile: Type.Optional(ProfileFields), ...ProfileFields.properties });
export type ProfileBody = Static<typeof ProfileBody>;
export type ProfileFields = Static<typeof ProfileFields>;

export const fieldsOf = (body: ProfileBody): ProfileFields => {
  const { profile, ...flat } = body;
  return { ...flat, ...profile };
};
