import { Type, type Static } from 'typebox';
import { NullableString } from '../../core/http/schemas.js';
import { AVAILABILITIES } from '../../core/db/enums.js';

const ProfileFields = Type.Object({
  name: Type.Optional(Type.String()),
  display_name: Type.Optional(NullableString()),
  email: Type.Optional(Type.String()),
  message_signature: Type.Optional(NullableString()),
  ui_settings: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Replaces the stored settings' })),
  phone_number: Type.Optional(NullableString({ description: 'Stored in custom_attributes' })),
  current_password: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  password_confirmation: Type.Optional(Type.String()),
  account_id: Type.Optional(Type.Integer()),
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
