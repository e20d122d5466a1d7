import { Type, type Static } from 'typebox';
import {
  Attributes,
  IdOrText,
  LongText,
  NullableIdOrText,
  NullableInteger,
  NullableShortText,
  NullableText,
  NullableUrl,
  Page,
  SearchText,
  ShortText,
} from '../../core/http/schemas.js';
import { ARTICLE_STATUSES } from '../../core/db/enums.js';

/** `true`/`false`, or their text in a multipart form. */
const Flag = () => Type.Unsafe<boolean | string>({ type: ['boolean', 'string'], maxLength: 5 });
const Locales = () => Type.Array(ShortText(), { maxItems: 100 });

const PortalFields = Type.Object({
  name: Type.Optional(NullableShortText()),
  slug: Type.Optional(NullableShortText({ description: 'Unique across the installation: /hc/:slug' })),
  color: Type.Optional(NullableShortText({ description: '#rgb or #rrggbb' })),
  custom_domain: Type.Optional(NullableShortText()),
  header_text: Type.Optional(NullableText()),
  homepage_link: Type.Optional(NullableUrl()),
  page_title: Type.Optional(NullableShortText()),
  archived: Type.Optional(Flag()),
  config: Type.Optional(
    Type.Object(
      {
        default_locale: Type.Optional(ShortText()),
        allowed_locales: Type.Optional(Locales()),
        draft_locales: Type.Optional(Locales()),
      },
      { additionalProperties: Type.Unknown() },
    ),
  ),
});
export type PortalFields = Static<typeof PortalFields>;

/** `params.require(:portal).permit(…)`, flat JSON through wrap_parameters; `blob_id` attaches an uploaded logo. */
export const PortalBody = Type.Object({
  portal: Type.Optional(PortalFields),
  ...PortalFields.properties,
  blob_id: Type.Optional(NullableIdOrText({ description: 'A blob from POST /upload, as the logo' })),
  inbox_id: Type.Optional(NullableIdOrText()),
});
export type PortalBody = Static<typeof PortalBody>;
export const portalFieldsOf = ({ portal, blob_id: _b, inbox_id: _i, ...flat }: PortalBody): PortalFields => ({
  ...flat,
  ...portal,
});

export const PortalParams = Type.Object({ id: ShortText({ description: 'The portal slug' }) });
export const PortalScopeParams = Type.Object({ portal_id: ShortText({ description: 'The portal slug' }) });
export const PortalItemParams = Type.Object({
  portal_id: ShortText({ description: 'The portal slug' }),
  id: ShortText({ description: 'Numeric id' }),
});

export const LocaleQuery = Type.Object({
  locale: Type.Optional(ShortText()),
  page: Type.Optional(Page()),
});

const CategoryFields = Type.Object({
  name: Type.Optional(NullableShortText()),
  slug: Type.Optional(NullableShortText()),
  locale: Type.Optional(NullableShortText()),
  description: Type.Optional(NullableText()),
  position: Type.Optional(NullableInteger({ minimum: -2_147_483_648, maximum: 2_147_483_647 })),
  icon: Type.Optional(NullableShortText()),
  parent_category_id: Type.Optional(NullableIdOrText()),
  associated_category_id: Type.Optional(NullableIdOrText()),
  related_category_ids: Type.Optional(Type.Array(IdOrText(), { maxItems: 100 })),
});
export type CategoryFields = Static<typeof CategoryFields>;
export const CategoryBody = Type.Object({ category: Type.Optional(CategoryFields), ...CategoryFields.properties });
export type CategoryBody = Static<typeof CategoryBody>;
export const categoryFieldsOf = ({ category, ...flat }: CategoryBody): CategoryFields => ({ ...flat, ...category });

const ArticleFields = Type.Object({
  title: Type.Optional(NullableShortText()),
  slug: Type.Optional(NullableShortText()),
  content: Type.Optional(Type.Union([LongText(), Type.Null()])),
  description: Type.Optional(NullableText()),
  position: Type.Optional(NullableInteger({ minimum: -2_147_483_648, maximum: 2_147_483_647 })),
  category_id: Type.Optional(NullableIdOrText()),
  author_id: Type.Optional(NullableIdOrText()),
  associated_article_id: Type.Optional(NullableIdOrText()),
  status: Type.Optional(Type.Enum(ARTICLE_STATUSES)),
  locale: Type.Optional(ShortText()),
  meta: Type.Optional(Attributes({ description: 'title, description, tags' })),
});
export type ArticleFields = Static<typeof ArticleFields>;
export const ArticleBody = Type.Object({ article: Type.Optional(ArticleFields), ...ArticleFields.properties });
export type ArticleBody = Static<typeof ArticleBody>;
export const articleFieldsOf = ({ article, ...flat }: ArticleBody): ArticleFields => ({ ...flat, ...article });

/** The articles index: every filter is optional (Article.search). */
export const ArticleListQuery = Type.Object({
  locale: Type.Optional(ShortText()),
  query: Type.Optional(SearchText({ description: 'Full-text search of title, description and content' })),
  category_slug: Type.Optional(ShortText()),
  status: Type.Optional(Type.Enum(ARTICLE_STATUSES)),
  author_id: Type.Optional(IdOrText()),
  page: Type.Optional(Page()),
});
export type ArticleListQuery = Static<typeof ArticleListQuery>;

/** POST …/reorder: `{ positions_hash: { "<id>": position } }`. */
export const ReorderBody = Type.Object({
  positions_hash: Type.Record(
    Type.String({ maxLength: 20 }),
    Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 }),
    { maxProperties: 1000 },
  ),
});
export type ReorderBody = Static<typeof ReorderBody>;
