import { Type, type Static } from 'typebox';
import { NullableString } from '../../core/http/schemas.js';

/** Top-level params, as Chatwoot permits them for account agent bots. */
export const AccountAgentBotBody = Type.Object({
  name: Type.Optional(NullableString()),
  description: Type.Optional(NullableString()),
  outgoing_url: Type.Optional(NullableString({ maxLength: 2048 })),
  avatar_url: Type.Optional(NullableString()),
  bot_type: Type.Optional(Type.Enum(['webhook'])),
  bot_config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type AccountAgentBotBody = Static<typeof AccountAgentBotBody>;
