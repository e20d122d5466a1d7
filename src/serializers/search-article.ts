// Mirrors app/views/api/v1/accounts/search/_article.json.jbuilder: an article found by the global search.
import { Type, type Static } from 'typebox';
import { ARTICLE_STATUSES, enumName } from '../core/db/enums.js';
import type { Article } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { epochSeconds } from './time.js';

export const SearchArticleSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    locale: Type.String(),
    content: NullableString(),
    slug: Type.String(),
    portal_slug: Type.String(),
    account_id: Type.Integer(),
    category_name: NullableString(),
    status: Type.Enum(ARTICLE_STATUSES),
    updated_at: Type.Integer(),
  },
  { title: 'SearchArticle' },
);

export type SearchArticleRow = Article & { portal_slug: string; category_name: string | null };

export function searchArticleJson(row: SearchArticleRow): Static<typeof SearchArticleSchema> {
  return {
    id: row.id,
    title: row.title,
    locale: row.locale,
    content: row.content,
    slug: row.slug,
    portal_slug: row.portal_slug,
    account_id: row.account_id,
    category_name: row.category_name,
    status: enumName(ARTICLE_STATUSES, row.status),
    updated_at: epochSeconds(row.updated_at),
  };
}
