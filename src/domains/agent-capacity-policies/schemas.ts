import { Type, type Static } from 'typebox';
import { IdOrText, NullableScalar, NullableShortText, NullableText, ShortText } from '../../core/http/schemas.js';

const ExclusionRules = Type.Object({
  excluded_labels: Type.Optional(Type.Union([Type.Array(ShortText(), { maxItems: 1000 }), Type.Null()])),
  exclude_older_than_hours: Type.Optional(
    NullableScalar({ description: 'Hours; conversations older are not assigned' }),
  ),
});

const CapacityFields = Type.Object({
  name: Type.Optional(NullableShortText()),
  description: Type.Optional(NullableText()),
  exclusion_rules: Type.Optional(Type.Union([ExclusionRules, Type.Null()])),
});
export type CapacityFields = Static<typeof CapacityFields>;

/** `params.require(:agent_capacity_policy).permit(:name, :description, exclusion_rules: [...])`; flat JSON too. */
export const CapacityBody = Type.Object({
  agent_capacity_policy: Type.Optional(CapacityFields),
  ...CapacityFields.properties,
});
export type CapacityBody = Static<typeof CapacityBody>;
export const capacityFieldsOf = ({ agent_capacity_policy, ...flat }: CapacityBody): CapacityFields => ({
  ...flat,
  ...agent_capacity_policy,
});

export const PolicyParams = Type.Object({ agent_capacity_policy_id: Type.String({ description: 'Numeric id' }) });
export const PolicyItemParams = Type.Object({
  agent_capacity_policy_id: Type.String({ description: 'Numeric id' }),
  id: Type.String({ description: 'Numeric id' }),
});
export const UserBody = Type.Object({ user_id: Type.Optional(IdOrText()) });
export const InboxLimitBody = Type.Object({
  inbox_id: Type.Optional(IdOrText()),
  conversation_limit: Type.Optional(NullableScalar({ description: 'Open conversations an agent may hold, > 0' })),
});
