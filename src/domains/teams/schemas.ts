import { Type, type Static } from 'typebox';
import { IdOrText, NullableText, ShortText } from '../../core/http/schemas.js';

const TeamFields = Type.Object({
  name: Type.Optional(ShortText()),
  description: Type.Optional(NullableText()),
  allow_auto_assign: Type.Optional(Type.Boolean()),
});

/** Chatwoot reads `params.require(:team)`; wrap_parameters makes flat JSON work too. */
export const TeamBody = Type.Object({ team: Type.Optional(TeamFields), ...TeamFields.properties });
export type TeamFields = Static<typeof TeamFields>;
export type TeamBody = Static<typeof TeamBody>;
export const teamFieldsOf = ({ team, ...flat }: TeamBody): TeamFields => ({ ...flat, ...team });

export const TeamIdParams = Type.Object({ team_id: Type.String() });
export const TeamMembersBody = Type.Object({
  user_ids: Type.Optional(Type.Array(IdOrText(), { maxItems: 1000 })),
});
export type TeamMembersBody = Static<typeof TeamMembersBody>;
