import { Type, type Static } from 'typebox';
import { NullableShortText, ShortText } from '../../core/http/schemas.js';

const CustomFilterFields = Type.Object({
  name: Type.Optional(NullableShortText()),
  // checked in the service, so a bad value is reported on `filter_type` whether wrapped or flat
  filter_type: Type.Optional(Type.Unknown({ description: 'conversation | contact | report, or 0 | 1 | 2' })),
  query: Type.Optional(
    Type.Unknown({ description: 'Any JSON object, stored as given (the dashboard sends {payload: [...]})' }),
  ),
});

/**
 * Chatwoot reads `params.require(:custom_filter).permit(:name, :filter_type, query: {})`; flat JSON
 * works through wrap_parameters. The key is `filter_type`: a `type` key is dropped, as permit drops it.
 */
export const CustomFilterBody = Type.Object({
  custom_filter: Type.Optional(CustomFilterFields),
  ...CustomFilterFields.properties,
});
export type CustomFilterFields = Static<typeof CustomFilterFields>;
export type CustomFilterBody = Static<typeof CustomFilterBody>;
export const customFilterFieldsOf = ({ custom_filter, ...flat }: CustomFilterBody): CustomFilterFields => ({
  ...flat,
  ...custom_filter,
});

export const CustomFilterQuery = Type.Object({
  filter_type: Type.Optional(ShortText({ description: 'conversation (default), contact or report' })),
});
