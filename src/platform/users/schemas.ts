import { Type, type Static } from 'typebox';
import { Attributes, NullableShortText, NullableString, ShortText } from '../../core/http/schemas.js';

/** Body of POST/PATCH /platform/api/v1/users (Chatwoot's user_params). */
export const UserBody = Type.Object({
  name: Type.Optional(ShortText({ description: 'Required on create' })),
  display_name: Type.Optional(NullableShortText()),
  email: Type.Optional(ShortText({ description: 'Required on create; an existing email adopts that user' })),
  password: Type.Optional(
    ShortText({ description: 'Required on create: 6+ chars with upper, lower, digit and symbol' }),
  ),
  custom_attributes: Type.Optional(Attributes({ description: 'Merged into the existing ones on update' })),
});
export type UserBody = Static<typeof UserBody>;

export const LoginLink = Type.Object({ url: Type.String({ description: 'One-time sign-in link, valid 5 minutes' }) });

export const UserToken = Type.Object({
  access_token: Type.String(),
  expiry: Type.Null(),
  user: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    display_name: NullableString(),
    email: Type.String(),
    pubsub_token: Type.String(),
  }),
});
