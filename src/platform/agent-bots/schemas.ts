import { Type, type Static } from 'typebox';
import { NullableId, NullableShortText, NullableText, NullableUrl } from '../../core/http/schemas.js';

/** Body of POST/PATCH /platform/api/v1/agent_bots. */
export const AgentBotBody = Type.Object({
  name: Type.Optional(NullableShortText()),
  description: Type.Optional(NullableText()),
  outgoing_url: Type.Optional(NullableUrl({ description: 'Where Confab posts bot events' })),
  account_id: Type.Optional(NullableId({ description: 'Omit for an installation-wide bot' })),
  avatar_url: Type.Optional(NullableUrl()),
});
export type AgentBotBody = Static<typeof AgentBotBody>;
