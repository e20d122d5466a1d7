// Mirrors app/views/api/v1/models/_label.json.jbuilder.
import { Type, type Static } from 'typebox';
import type { Label } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';

export const LabelSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    description: NullableString(),
    color: Type.String(),
    show_on_sidebar: Type.Boolean(),
  },
  { title: 'Label' },
);

export function labelJson(label: Label): Static<typeof LabelSchema> {
  return {
    id: label.id,
    title: label.title,
    description: label.description,
    color: label.color,
    show_on_sidebar: label.show_on_sidebar,
  };
}
