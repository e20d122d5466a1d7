import { Type, type Static } from 'typebox';
import { NullableText, ShortText } from '../../core/http/schemas.js';

const LabelFields = Type.Object({
  title: Type.Optional(ShortText()),
  description: Type.Optional(NullableText()),
  color: Type.Optional(ShortText()),
  show_on_sidebar: Type.Optional(Type.Boolean()),
});

/** Chatwoot reads `params.require(:label)`; flat JSON works through wrap_parameters. */
export const LabelBody = Type.Object({ label: Type.Optional(LabelFields), ...LabelFields.properties });
export type LabelFields = Static<typeof LabelFields>;
export type LabelBody = Static<typeof LabelBody>;
export const labelFieldsOf = ({ label, ...flat }: LabelBody): LabelFields => ({ ...flat, ...label });
