import { Type, type Static } from 'typebox';
import { Attributes, NullableShortText, NullableText, NullableUrl } from '../../core/http/schemas.js';

/** Top-level params, as Chatwoot permits them for account agent bots. */
export const AccountAgentBotBody = Type.Object({
  name: Type.Optional(NullableShortText()),
  description: Type.Optional(NullableText()),
  outgoing_url: Type.Optional(NullableUrl()),
  avatar_url: Type.Optional(NullableUrl()),
  bot_type: Type.Optional(Type.Enum(['webhook'])),
  bot_config: Type.Optional(Attributes()),
});
export type AccountAgentBotBody = Static<typeof AccountAgentBotBody>;
