// Mirrors app/views/api/v1/accounts/articles/_article.json.jbuilder and _associated_article.json.jbuilder:
// an article with its category, author (the _agent partial), root article and the articles
// associated with it (translations of one another).
import { Type, type Static } from 'typebox';
import { ARTICLE_STATUSES, enumName } from '../core/db/enums.js';
import type { Article, Category } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { AgentSchema, agentJson, type AgentView } from './agent.js';
import { PortalSchema, portalJson, type PortalView } from './portal.js';
import { epochSeconds } from './time.js';

export const AssociatedArticleSchema = Type.Object(
  {
    id: Type.Integer(),
    category_id: NullableInteger(),
    title: Type.String(),
    content: NullableString(),
    description: NullableString(),
    status: Type.Enum(ARTICLE_STATUSES),
    account_id: Type.Integer(),
    portal: Type.Optional(PortalSchema),
    views: Type.Integer(),
    author: Type.Optional(AgentSchema),
  },
  { title: 'AssociatedArticle' },
);

export const ArticleSchema = Type.Object(
  {
    id: Type.Integer(),
    slug: Type.String(),
    title: Type.String(),
    content: NullableString(),
    description: NullableString(),
    status: Type.Enum(ARTICLE_STATUSES),
    position: NullableInteger(),
    account_id: Type.Integer(),
    updated_at: Type.Integer({ description: 'Unix seconds' }),
    meta: Type.Record(Type.String(), Type.Unknown()),
    locale: Type.String(),
    associated_article_id: NullableInteger(),
    root_article: Type.Optional(AssociatedArticleSchema),
    category: Type.Object({
      id: NullableInteger(),
      name: NullableString(),
      slug: NullableString(),
      locale: NullableString(),
    }),
    views: Type.Integer(),
    author: Type.Optional(AgentSchema),
    associated_articles: Type.Array(AssociatedArticleSchema),
  },
  { title: 'Article' },
);
export type ArticleJson = Static<typeof ArticleSchema>;

/** An article with what its partials render, loaded in a few queries for a whole page. */
export interface ArticleView {
  article: Article;
  category: Category | null;
  author: AgentView | null;
  /** Rendered by the associated-article partial only. */
  portal?: PortalView;
  root: Omit<ArticleView, 'root' | 'associated'> | null;
  associated: Array<Omit<ArticleView, 'root' | 'associated'>>;
}

function associatedArticleJson(view: Omit<ArticleView, 'root' | 'associated'>): Static<typeof AssociatedArticleSchema> {
  const { article } = view;
  return {
    id: article.id,
    category_id: article.category_id,
    title: article.title,
    content: article.content,
    description: article.description,
    status: enumName(ARTICLE_STATUSES, article.status),
    account_id: article.account_id,
    ...(view.portal && { portal: portalJson(view.portal) }),
    views: article.views,
    ...(view.author && { author: agentJson(view.author) }),
  };
}

export function articleJson(view: ArticleView): ArticleJson {
  const { article, category } = view;
  return {
    id: article.id,
    slug: article.slug,
    title: article.title,
    content: article.content,
    description: article.description,
    status: enumName(ARTICLE_STATUSES, article.status),
    position: article.position,
    account_id: article.account_id,
    updated_at: epochSeconds(article.updated_at),
    meta: article.meta,
    locale: article.locale,
    associated_article_id: article.associated_article_id,
    ...(view.root && { root_article: associatedArticleJson(view.root) }),
    category: {
      id: article.category_id,
      name: category?.name ?? null,
      slug: category?.slug ?? null,
      locale: category?.locale ?? null,
    },
    views: article.views,
    ...(view.author && { author: agentJson(view.author) }),
    associated_articles: view.associated.map(associatedArticleJson),
  };
}
