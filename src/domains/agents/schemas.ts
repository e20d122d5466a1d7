import { Type, type Static } from 'typebox';
import { ShortText } from '../../core/http/schemas.js';
import { ACCOUNT_USER_ROLES, AVAILABILITIES } from '../../core/db/enums.js';

const AgentFields = Type.Object({
  name: Type.Optional(ShortText()),
  email: Type.Optional(ShortText()),
  role: Type.Optional(Type.Enum(ACCOUNT_USER_ROLES)),
  availability: Type.Optional(Type.Enum(AVAILABILITIES)),
  auto_offline: Type.Optional(Type.Boolean()),
});

/** Chatwoot reads `params.require(:agent)`; wrap_parameters makes flat bodies work too. */
export const AgentBody = Type.Object({ agent: Type.Optional(AgentFields), ...AgentFields.properties });
export type AgentFields = Static<typeof AgentFields>;
export type AgentBody = Static<typeof AgentBody>;
export const agentFieldsOf = ({ agent, ...flat }: AgentBody): AgentFields => ({ ...flat, ...agent });

export const BulkCreateBody = Type.Object({ emails: Type.Array(ShortText(), { maxItems: 500 }) });
export type BulkCreateBody = Static<typeof BulkCreateBody>;
