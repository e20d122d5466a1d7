// Mirrors app/views/api/v1/models/_custom_attribute_definition.json.jbuilder (ISO timestamps).
import { Type, type Static } from 'typebox';
import type { CustomAttributeDefinition } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { enumName } from '../core/db/enums.js';
import { isoTime } from './time.js';

export const DISPLAY_TYPES = ['text', 'number', 'currency', 'percent', 'link', 'date', 'list', 'checkbox'] as const;
export const ATTRIBUTE_MODELS = ['conversation_attribute', 'contact_attribute'] as const;

export const CustomAttributeDefinitionSchema = Type.Object(
  {
    id: Type.Integer(),
    attribute_display_name: Type.String(),
    attribute_display_type: Type.Enum(DISPLAY_TYPES),
    attribute_description: NullableString(),
    attribute_key: Type.String(),
    regex_pattern: NullableString(),
    regex_cue: NullableString(),
    attribute_values: Type.Array(Type.Unknown()),
    attribute_model: Type.Enum(ATTRIBUTE_MODELS),
    default_value: NullableString(),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'CustomAttributeDefinition' },
);

export function customAttributeDefinitionJson(
  row: CustomAttributeDefinition,
): Static<typeof CustomAttributeDefinitionSchema> {
  return {
    id: row.id,
    attribute_display_name: row.attribute_display_name,
    attribute_display_type: enumName(DISPLAY_TYPES, row.attribute_display_type),
    attribute_description: row.attribute_description,
    attribute_key: row.attribute_key,
    regex_pattern: row.regex_pattern,
    regex_cue: row.regex_cue,
    attribute_values: row.attribute_values,
    attribute_model: enumName(ATTRIBUTE_MODELS, row.attribute_model),
    default_value: row.default_value,
    created_at: isoTime(row.created_at)!,
    updated_at: isoTime(row.updated_at)!,
  };
}
