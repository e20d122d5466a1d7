import { Type, type Static } from 'typebox';
import { NullableInteger, NullableShortText, NullableText, ShortText } from '../../core/http/schemas.js';

/** PATCH /api/v1/accounts/:id: flat params, as Chatwoot's accounts_controller permits them. */
export const AccountUpdateBody = Type.Object({
  name: Type.Optional(ShortText()),
  locale: Type.Optional(ShortText({ pattern: '^[a-z]{2,3}([_-][A-Za-z]{2,4})?$' })),
  domain: Type.Optional(NullableShortText()),
  support_email: Type.Optional(NullableShortText()),
  // merged into custom_attributes
  industry: Type.Optional(NullableShortText()),
  company_size: Type.Optional(NullableShortText()),
  timezone: Type.Optional(NullableShortText()),
  // merged into settings (validated as Chatwoot's settings JSON schema)
  auto_resolve_after: Type.Optional(NullableInteger({ minimum: 10, maximum: 1_439_856, description: 'minutes' })),
  auto_resolve_message: Type.Optional(NullableText()),
  auto_resolve_ignore_waiting: Type.Optional(Type.Boolean()),
  audio_transcriptions: Type.Optional(Type.Boolean()),
  auto_resolve_label: Type.Optional(NullableShortText()),
  // older Chatwoot clients
  auto_resolve_duration: Type.Optional(
    NullableInteger({ minimum: 1, maximum: 999, description: 'days (older Chatwoot)' }),
  ),
});
export type AccountUpdateBody = Static<typeof AccountUpdateBody>;
