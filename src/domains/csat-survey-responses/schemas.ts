import { Type, type Static } from 'typebox';
import { LIMITS, ShortText } from '../../core/http/schemas.js';

const Param = (description: string) => Type.Optional(ShortText({ description }));
/** `key[]=a&key[]=b`, or one plain `key=a` (coerced into a list), as Rails reads either. */
const List = (description: string) => Type.Optional(Type.Array(ShortText(), { maxItems: 1000, description }));

/** CsatSurveyResponsesController's params (all optional; Rails params are text). */
export const CsatQuery = Type.Object({
  since: Param('Unix seconds; with `until`, responses created in [since, until)'),
  until: Param('Unix seconds (exclusive)'),
  user_ids: List("user_ids[]: the response's assigned agents"),
  inbox_id: Param("The conversation's inbox"),
  team_id: Param("The conversation's team"),
  rating: List('rating or rating[]: 1 to 5'),
  page: Param('25 a page, from 1 (index only)'),
  sort: Param('Sift sort_on: `created_at` or `-created_at`'),
});
export type CsatQuery = Static<typeof CsatQuery>;

/** The longest since..until window taken: two years (Chatwoot's pickers go back one year). */
export const MAX_RANGE_DAYS = 2 * 366;

/** Kaminari's `page`: above LIMITS.page there is nothing to read. */
export const MAX_PAGE = LIMITS.page;
