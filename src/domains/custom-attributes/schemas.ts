import { Type, type Static } from 'typebox';
import { NullableShortText, NullableText, ShortText } from '../../core/http/schemas.js';
import { ATTRIBUTE_MODELS, DISPLAY_TYPES } from '../../serializers/custom-attribute-definition.js';

/** Enum params arrive as names or as their integers (the dashboard sends integers). */
const EnumParam = (names: readonly string[]) =>
  Type.Union([Type.Enum(names as string[]), Type.Integer({ minimum: 0, maximum: names.length - 1 })]);

const DefinitionFields = Type.Object({
  attribute_display_name: Type.Optional(ShortText()),
  attribute_description: Type.Optional(NullableText()),
  attribute_display_type: Type.Optional(EnumParam(DISPLAY_TYPES)),
  attribute_key: Type.Optional(ShortText()),
  attribute_model: Type.Optional(EnumParam(ATTRIBUTE_MODELS)),
  regex_pattern: Type.Optional(NullableShortText()),
  regex_cue: Type.Optional(NullableShortText()),
  default_value: Type.Optional(NullableText()),
  attribute_values: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 1000 })),
});

export const DefinitionBody = Type.Object({
  custom_attribute_definition: Type.Optional(DefinitionFields),
  ...DefinitionFields.properties,
});
export type DefinitionFields = Static<typeof DefinitionFields>;
export type DefinitionBody = Static<typeof DefinitionBody>;
export const definitionFieldsOf = ({ custom_attribute_definition, ...flat }: DefinitionBody): DefinitionFields => ({
  ...flat,
  ...custom_attribute_definition,
});
export const DefinitionQuery = Type.Object({ attribute_model: Type.Optional(ShortText()) });
