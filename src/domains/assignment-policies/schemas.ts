import { Type, type Static } from 'typebox';
import { IdOrText, NullableScalar, NullableShortText, NullableText } from '../../core/http/schemas.js';

const PolicyFields = Type.Object({
  name: Type.Optional(NullableShortText()),
  description: Type.Optional(NullableText()),
  assignment_order: Type.Optional(NullableScalar({ description: 'round_robin or balanced (or 0, 1)' })),
  conversation_priority: Type.Optional(
    NullableScalar({ description: 'earliest_created or longest_waiting (or 0, 1)' }),
  ),
  fair_distribution_limit: Type.Optional(NullableScalar({ description: 'Assignments per agent per window, > 0' })),
  fair_distribution_window: Type.Optional(NullableScalar({ description: 'Seconds, > 0' })),
  enabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
});
export type PolicyFields = Static<typeof PolicyFields>;

/** `params.require(:assignment_policy).permit(...)`; flat JSON works through wrap_parameters. */
export const PolicyBody = Type.Object({
  assignment_policy: Type.Optional(PolicyFields),
  ...PolicyFields.properties,
});
export type PolicyBody = Static<typeof PolicyBody>;
export const policyFieldsOf = ({ assignment_policy, ...flat }: PolicyBody): PolicyFields => ({
  ...flat,
  ...assignment_policy,
});

export const PolicyIdParams = Type.Object({ assignment_policy_id: Type.String({ description: 'Numeric id' }) });
export const PolicyInboxParams = Type.Object({
  assignment_policy_id: Type.String({ description: 'Numeric id' }),
  id: Type.String({ description: 'Inbox id' }),
});
export const InboxIdParams = Type.Object({ inbox_id: Type.String({ description: 'Numeric id' }) });
export const LinkInboxBody = Type.Object({ inbox_id: Type.Optional(IdOrText()) });
export const LinkPolicyBody = Type.Object({ assignment_policy_id: Type.Optional(IdOrText()) });
