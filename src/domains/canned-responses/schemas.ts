import { Type, type Static } from 'typebox';
import { NullableLongText, NullableShortText, SearchText } from '../../core/http/schemas.js';

const CannedResponseFields = Type.Object({
  short_code: Type.Optional(NullableShortText()),
  content: Type.Optional(NullableLongText()),
});

/** Chatwoot reads `params.require(:canned_response).permit(:short_code, :content)`; flat JSON works through wrap_parameters. */
export const CannedResponseBody = Type.Object({
  canned_response: Type.Optional(CannedResponseFields),
  ...CannedResponseFields.properties,
});
export type CannedResponseFields = Static<typeof CannedResponseFields>;
export type CannedResponseBody = Static<typeof CannedResponseBody>;
export const cannedResponseFieldsOf = ({ canned_response, ...flat }: CannedResponseBody): CannedResponseFields => ({
  ...flat,
  ...canned_response,
});

export const CannedResponseQuery = Type.Object({
  search: Type.Optional(
    SearchText({ description: 'Substring of the short code or content; short-code prefix matches rank first' }),
  ),
});
