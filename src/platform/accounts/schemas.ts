import { Type, type Static } from 'typebox';
import { Attributes as AttributesOf, NullableShortText, ShortText } from '../../core/http/schemas.js';
import { ACCOUNT_STATUSES } from '../../core/db/enums.js';

const Attributes = AttributesOf();

/** Body of POST/PATCH /platform/api/v1/accounts (Chatwoot's account_params). */
export const AccountBody = Type.Object({
  name: Type.Optional(ShortText({ description: 'Required on create' })),
  locale: Type.Optional(ShortText({ pattern: '^[a-z]{2,3}([_-][A-Za-z]{2,4})?$', description: 'e.g. en, pt_BR' })),
  domain: Type.Optional(NullableShortText()),
  support_email: Type.Optional(NullableShortText()),
  status: Type.Optional(Type.Enum(ACCOUNT_STATUSES)),
  features: Type.Optional(AttributesOf({ description: 'feature name -> true/false' })),
  limits: Type.Optional(Attributes),
  custom_attributes: Type.Optional(Attributes),
});
export type AccountBody = Static<typeof AccountBody>;
