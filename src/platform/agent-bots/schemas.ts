import { Type, type Static } from 'typebox';

const NullableString = (options: Parameters<typeof Type.String>[0] = {}) => Type.Union([Type.String(options), Type.Null()]);

/** Body of POST/PATCH /platform/api/v1/agent_bots. */
export const AgentBotBody = Type.Object({
  name: Type.Optional(NullableString()),
  description: Type.Optional(NullableString()),
  outgoing_url: Type.Optional(NullableString({ description: 'Where Confab posts bot events' })),
  account_id: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'Omit for an installation-wide bot' })),
  avatar_url: Type.Optional(NullableString()),
});
export type AgentBotBody = Static<typeof AgentBotBody>;
