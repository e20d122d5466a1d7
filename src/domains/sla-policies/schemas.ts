import { Type, type Static } from 'typebox';
import { NullableShortText } from '../../core/http/schemas.js';

/** Ten years in seconds: longer than any real response or resolution target. */
const MAX_THRESHOLD = 315_360_000;

/**
 * Seconds: a JSON number, or a numeric string as a form post sends it (Rails casts both); null
 * clears it. Never negative (the columns check it too).
 */
const Threshold = Type.Optional(
  // null first: the validator's type coercion would make null a 0 for a number tried before it
  Type.Union([
    Type.Null(),
    Type.Number({ minimum: 0, maximum: MAX_THRESHOLD }),
    Type.String({ maxLength: 32, pattern: '^\\s*\\d{1,9}(\\.\\d+)?\\s*$' }),
  ]),
);
const Flag = Type.Optional(Type.Union([Type.Null(), Type.Boolean(), Type.Enum(['true', 'false', '1', '0'])]));

const SlaPolicyFields = Type.Object({
  name: Type.Optional(NullableShortText()),
  description: Type.Optional(NullableShortText()),
  first_response_time_threshold: Threshold,
  next_response_time_threshold: Threshold,
  resolution_time_threshold: Threshold,
  only_during_business_hours: Flag,
});

/** `params.require(:sla_policy).permit(...)`; flat JSON reaches it through wrap_parameters. */
export const SlaPolicyBody = Type.Object({
  sla_policy: Type.Optional(SlaPolicyFields),
  ...SlaPolicyFields.properties,
});
export type SlaPolicyFields = Static<typeof SlaPolicyFields>;
export type SlaPolicyBody = Static<typeof SlaPolicyBody>;
export const slaPolicyFieldsOf = ({ sla_policy, ...flat }: SlaPolicyBody): SlaPolicyFields => ({
  ...flat,
  ...sla_policy,
});
