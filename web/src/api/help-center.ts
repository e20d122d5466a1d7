import { request } from './http.js';

// The help center's Application API (`/portals/:portal_slug/…`), as Chatwoot's dashboard calls it
// (app/javascript/dashboard/api/helpCenter/): portals, their categories and articles.

export interface PortalLocale {
  code: string;
  articles_count: number;
  categories_count: number;
  draft: boolean;
}

/** `_portal.json.jbuilder`. */
export interface Portal {
  id: number;
  name: string;
  slug: string;
  color: string;
  custom_domain: string | null;
  header_text: string | null;
  homepage_link: string | null;
  page_title: string | null;
  archived: boolean;
  config: { allowed_locales: PortalLocale[]; default_locale: string; draft_locales: string[] };
  logo?: { file_url: string; filename: string };
  meta: { categories_count: number; default_locale: string };
}

/** What a portal form sends (`params.require(:portal).permit(…)`). */
export interface PortalInput {
  name?: string;
  slug?: string;
  color?: string | null;
  custom_domain?: string | null;
  header_text?: string | null;
  homepage_link?: string | null;
  page_title?: string | null;
  archived?: boolean;
  config?: { allowed_locales?: string[]; default_locale?: string };
}

/** `_category.json.jbuilder`. */
export interface Category {
  id: number;
  name: string;
  slug: string;
  locale: string;
  description: string | null;
  position: number | null;
  icon: string | null;
  meta: { articles_count: number };
}

export type CategoryInput = Pick<Category, 'name' | 'slug' | 'locale'> & { description?: string | null };

export type ArticleStatus = 'draft' | 'published' | 'archived';

/** `_article.json.jbuilder`. */
export interface Article {
  id: number;
  slug: string;
  title: string;
  content: string | null;
  description: string | null;
  status: ArticleStatus;
  position: number | null;
  locale: string;
  updated_at: number;
  views: number;
  category: { id: number | null; name: string | null; slug: string | null; locale: string | null };
  author?: { id: number; name: string };
}

export interface ArticleInput {
  title?: string;
  content?: string;
  description?: string | null;
  category_id?: number | null;
  author_id?: number;
  status?: ArticleStatus;
  locale?: string;
}

/** The articles index's `meta`: counts by status under the same locale, category and query. */
export interface ArticleCounts {
  current_page: number;
  articles_count: number;
  all_articles_count: number;
  archived_articles_count: number;
  published_count: number;
  draft_articles_count: number;
  mine_articles_count?: number;
}

export interface ArticleQuery {
  locale?: string;
  status?: ArticleStatus;
  author_id?: number;
  category_slug?: string;
  query?: string;
  page?: number;
}

/** ArticlesController's page size. */
export const ARTICLES_PER_PAGE = 25;

const portals = (accountId: number) => `/api/v1/accounts/${accountId}/portals`;
const scoped = (accountId: number, slug: string) => `${portals(accountId)}/${encodeURIComponent(slug)}`;
const queryString = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, `${value}`);
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const listPortals = (accountId: number) =>
  request<{ payload: Portal[] }>('GET', portals(accountId)).then((b) => b.payload);
export const getPortal = (accountId: number, slug: string) => request<Portal>('GET', scoped(accountId, slug));
export const createPortal = (accountId: number, portal: PortalInput) =>
  request<Portal>('POST', portals(accountId), { portal });
export const updatePortal = (accountId: number, slug: string, portal: PortalInput) =>
  request<Portal>('PATCH', scoped(accountId, slug), { portal });
export const archivePortal = (accountId: number, slug: string) =>
  request<unknown>('PATCH', `${scoped(accountId, slug)}/archive`);
export const deletePortal = (accountId: number, slug: string) => request<unknown>('DELETE', scoped(accountId, slug));
/** A multipart `logo`, as the dashboard's logo uploader sends it. */
export function uploadPortalLogo(accountId: number, slug: string, file: File) {
  const form = new FormData();
  form.append('logo', file);
  return request<Portal>('PATCH', scoped(accountId, slug), form);
}
export const removePortalLogo = (accountId: number, slug: string) =>
  request<unknown>('DELETE', `${scoped(accountId, slug)}/logo`);

export const listCategories = (accountId: number, slug: string, locale: string) =>
  request<{ payload: Category[] }>('GET', `${scoped(accountId, slug)}/categories${queryString({ locale })}`).then(
    (b) => b.payload,
  );
export const createCategory = (accountId: number, slug: string, category: CategoryInput) =>
  request<{ payload: Category }>('POST', `${scoped(accountId, slug)}/categories`, { category });
export const updateCategory = (accountId: number, slug: string, id: number, category: Partial<CategoryInput>) =>
  request<{ payload: Category }>('PATCH', `${scoped(accountId, slug)}/categories/${id}`, { category });
export const deleteCategory = (accountId: number, slug: string, id: number) =>
  request<unknown>('DELETE', `${scoped(accountId, slug)}/categories/${id}`);

/** `{ "<id>": position }` for the items in their new order, as the dashboard's drag and drop sends it. */
export const positionsOf = (ids: number[]) => Object.fromEntries(ids.map((id, index) => [`${id}`, index + 1]));
export const reorderCategories = (accountId: number, slug: string, ids: number[]) =>
  request<unknown>('POST', `${scoped(accountId, slug)}/categories/reorder`, { positions_hash: positionsOf(ids) });
export const reorderArticles = (accountId: number, slug: string, ids: number[]) =>
  request<unknown>('POST', `${scoped(accountId, slug)}/articles/reorder`, { positions_hash: positionsOf(ids) });

export const listArticles = (accountId: number, slug: string, query: ArticleQuery) =>
  request<{ payload: Article[]; meta: ArticleCounts }>(
    'GET',
    `${scoped(accountId, slug)}/articles${queryString({ ...query })}`,
  );
export const getArticle = (accountId: number, slug: string, id: number) =>
  request<{ payload: Article }>('GET', `${scoped(accountId, slug)}/articles/${id}`).then((b) => b.payload);
export const createArticle = (accountId: number, slug: string, article: ArticleInput) =>
  request<{ payload: Article }>('POST', `${scoped(accountId, slug)}/articles`, { article }).then((b) => b.payload);
export const updateArticle = (accountId: number, slug: string, id: number, article: ArticleInput) =>
  request<{ payload: Article }>('PATCH', `${scoped(accountId, slug)}/articles/${id}`, { article }).then(
    (b) => b.payload,
  );
export const deleteArticle = (accountId: number, slug: string, id: number) =>
  request<unknown>('DELETE', `${scoped(accountId, slug)}/articles/${id}`);

/** The public pages (`/hc/:slug/…`) on this server, as buildPortalURL / buildPortalArticleURL make them. */
export const publicPortalUrl = (slug: string, locale?: string) =>
  `${window.location.origin}/hc/${encodeURIComponent(slug)}${locale ? `/${encodeURIComponent(locale)}` : ''}`;
export const publicArticleUrl = (portalSlug: string, articleSlug: string) =>
  `${publicPortalUrl(portalSlug)}/articles/${encodeURIComponent(articleSlug)}`;
