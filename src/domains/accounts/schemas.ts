import { Type, type Static } from 'typebox';
import { NullableInteger, NullableString } from '../../core/http/schemas.js';

/** PATCH /api/v1/accounts/:id: flat params, as Chatwoot's accounts_controller permits them. */
export const AccountUpdateBody = Type.Object({
  name: Type.Optional(Type.String()),
  locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}([_-][A-Za-z]{2,4})?$' })),
  domain: Type.Optional(NullableString()),
  support_email: Type.Optional(NullableString()),
  // merged into custom_attributes
  industry: Type.Optional(NullableString()),
  company_size: Type.Optional(NullableString()),
  timezone: Type.Optional(NullableString()),
  // merged into settings (validated as Chatwoot's settings JSON schema)
  auto_resolve_after: Type.Optional(NullableInteger({ minimum: 10, maximum: 1_439_856, description: 'minutes' })),
  auto_resolve_message: Type.Optional(NullableString()),
  auto_resolve_ignore_waiting: Type.Optional(Type.Boolean()),
  audio_transcriptions: Type.Optional(Type.Boolean()),
  auto_resolve_label: Type.Optional(NullableString()),
  // older Chatwoot clients
  auto_resolve_duration: Type.Optional(NullableInteger({ minimum: 1, maximum: 999, description: 'days (older Chatwoot)' })),
});
export type AccountUpdateBody = Static<typeof AccountUpdateBody>;
