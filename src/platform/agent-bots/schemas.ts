import { Type, type Static } from 'typebox';
import { NullableInteger, NullableString } from '../../core/http/schemas.js';


/** Body of POST/PATCH /platform/api/v1/agent_bots. */
export const AgentBotBody = Type.Object({
  name: Type.Optional(NullableString()),
  description: Type.Optional(NullableString()),
  outgoing_url: Type.Optional(NullableString({ description: 'Where Confab posts bot events' })),
  account_id: Type.Optional(NullableInteger({ description: 'Omit for an installation-wide bot' })),
  avatar_url: Type.Optional(NullableString()),
});
export type AgentBotBody = Static<typeof AgentBotBody>;
