// Mirrors the public help center's jbuilder views (app/views/public/api/v1/models/hc/_portal,
// _category, _article, hc/_associated_article, hc/_author): what anyone may read at /hc/:slug.
// Built from an allowlist: published articles only, authors by name and picture only.
import { Type, type Static } from 'typebox';
import { ARTICLE_STATUSES, enumName } from '../core/db/enums.js';
import type { Article, Category, Portal, User } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { availableName } from './agent.js';
import type { CategoryView } from './category.js';
import { defaultLocale } from './portal.js';
import { isoTime } from './time.js';

const AuthorSchema = Type.Object({ available_name: Type.String(), name: Type.String(), thumbnail: NullableString() });
const AssociatedCategorySchema = Type.Object({
  name: Type.String(),
  slug: Type.String(),
  locale: Type.String(),
  description: NullableString(),
  position: NullableInteger(),
});
export const PublicCategorySchema = Type.Object(
  {
    ...AssociatedCategorySchema.properties,
    related_categories: Type.Array(AssociatedCategorySchema),
    parent_category: Type.Optional(AssociatedCategorySchema),
    root_category: Type.Optional(AssociatedCategorySchema),
    meta: Type.Object({ articles_count: Type.Integer() }),
  },
  { title: 'PublicCategory' },
);
export const PublicPortalSchema = Type.Object(
  {
    custom_domain: NullableString(),
    header_text: NullableString(),
    homepage_link: NullableString(),
    name: Type.String(),
    page_title: NullableString(),
    slug: Type.String(),
    categories: Type.Array(PublicCategorySchema),
    logo: Type.Optional(Type.Object({ file_url: Type.String(), file_type: Type.String(), filename: Type.String() })),
    meta: Type.Object({
      articles_count: Type.Integer(),
      categories_count: Type.Integer(),
      default_locale: Type.String(),
    }),
  },
  { title: 'PublicPortal' },
);
const associatedArticleFields = {
  id: Type.Integer(),
  category_id: NullableInteger(),
  title: Type.String(),
  content: NullableString(),
  description: NullableString(),
  status: Type.Enum(ARTICLE_STATUSES),
  account_id: Type.Integer(),
  last_updated_at: Type.String(),
  views: Type.Integer(),
  author: Type.Optional(AuthorSchema),
};
export const PublicArticleSchema = Type.Object(
  {
    ...associatedArticleFields,
    position: NullableInteger(),
    slug: Type.String(),
    portal: PublicPortalSchema,
    category: Type.Optional(Type.Object({ id: Type.Integer(), slug: Type.String(), locale: Type.String() })),
    associated_articles: Type.Array(Type.Object(associatedArticleFields)),
    link: Type.String(),
  },
  { title: 'PublicArticle' },
);

/** A category as the Application API's partial has it; articlesCount counts published articles. */
export type PublicCategoryView = CategoryView;

export interface PublicPortalView {
  portal: Portal;
  logo: { url: string; contentType: string; filename: string } | null;
  categories: PublicCategoryView[];
  publishedCount: number;
}

export interface PublicArticleView {
  article: Article;
  author: User | null;
  category: Category | null;
  associated: Array<{ article: Article; author: User | null }>;
}

const associatedCategory = (c: Category): Static<typeof AssociatedCategorySchema> => ({
  name: c.name,
  slug: c.slug,
  locale: c.locale,
  description: c.description,
  position: c.position,
});

export function publicCategoryJson(view: PublicCategoryView): Static<typeof PublicCategorySchema> {
  return {
    ...associatedCategory(view.category),
    related_categories: view.related.map(associatedCategory),
    ...(view.parent && { parent_category: associatedCategory(view.parent) }),
    ...(view.root && { root_category: associatedCategory(view.root) }),
    meta: { articles_count: view.articlesCount },
  };
}

export function publicPortalJson(view: PublicPortalView): Static<typeof PublicPortalSchema> {
  const { portal } = view;
  return {
    custom_domain: portal.custom_domain,
    header_text: portal.header_text,
    homepage_link: portal.homepage_link,
    name: portal.name,
    page_title: portal.page_title,
    slug: portal.slug,
    categories: view.categories.map(publicCategoryJson),
    ...(view.logo && {
      logo: { file_url: view.logo.url, file_type: view.logo.contentType, filename: view.logo.filename },
    }),
    meta: {
      articles_count: view.publishedCount,
      categories_count: view.categories.length,
      default_locale: defaultLocale(portal),
    },
  };
}

const authorJson = (user: User | null) =>
  user ? { author: { available_name: availableName(user), name: user.name, thumbnail: user.avatar_url } } : {};

function associatedJson({ article, author }: { article: Article; author: User | null }) {
  return {
    id: article.id,
    category_id: article.category_id,
    title: article.title,
    content: article.content,
    description: article.description,
    status: enumName(ARTICLE_STATUSES, article.status),
    account_id: article.account_id,
    last_updated_at: isoTime(article.updated_at)!,
    views: article.views,
    ...authorJson(author),
  };
}

/** The public path of an article (Chatwoot's `link`: "hc/<portal>/articles/<slug>"). */
export const articlePath = (portalSlug: string, articleSlug: string) =>
  `hc/${encodeURIComponent(portalSlug)}/articles/${encodeURIComponent(articleSlug)}`;

export function publicArticleJson(
  view: PublicArticleView,
  portal: PublicPortalView,
): Static<typeof PublicArticleSchema> {
  const { article, category } = view;
  return {
    ...associatedJson(view),
    position: article.position,
    slug: article.slug,
    portal: publicPortalJson(portal),
    ...(category && { category: { id: category.id, slug: category.slug, locale: category.locale } }),
    associated_articles: view.associated.map(associatedJson),
    link: articlePath(portal.portal.slug, article.slug),
  };
}
