import { useState } from 'preact/hooks';
import {
  ARTICLES_PER_PAGE,
  type Article,
  type ArticleCounts,
  type ArticleQuery,
  listArticles,
  listCategories,
  type Portal,
  reorderArticles,
} from '../api/help-center.js';
import { navigate, useRoute } from '../lib/router.js';
import { useLoad } from '../settings/use-load.js';
import { MoveButtons, moveItem } from './reorder.js';
import { ARTICLE_TABS, type ArticleTab, helpCenterPath } from './route.js';

const TAB_LABELS: Record<ArticleTab, string> = {
  all: 'All',
  mine: 'Mine',
  draft: 'Draft',
  published: 'Published',
  archived: 'Archived',
};

/** Each tab's count in the index's `meta`. */
const countOf = (meta: ArticleCounts, tab: ArticleTab) =>
  ({
    all: meta.all_articles_count,
    mine: meta.mine_articles_count ?? 0,
    draft: meta.draft_articles_count,
    published: meta.published_count,
    archived: meta.archived_articles_count,
  })[tab];

/**
 * A portal's articles in one locale (ListAllArticles and its tabs): counts by status from `meta`,
 * filters by category and text (kept in the address: ?category=&query=&page=), 25 a page; within
 * one category, administrators reorder them.
 */
export function ArticlesScreen({
  accountId,
  userId,
  administrator,
  portal,
  locale,
  tab,
}: {
  accountId: number;
  userId: number;
  administrator: boolean;
  portal: Portal;
  locale: string;
  tab: ArticleTab;
}) {
  const { path, search } = useRoute();
  const category = search.get('category') ?? '';
  const query = search.get('query') ?? '';
  const page = Math.max(1, Number(search.get('page')) || 1);
  const [typed, setTyped] = useState(query);
  const [error, setError] = useState('');

  const filter: ArticleQuery = {
    locale,
    category_slug: category || undefined,
    query: query || undefined,
    page,
    ...(tab === 'mine' ? { author_id: userId } : tab === 'all' ? {} : { status: tab }),
  };
  // each answer carries the filters it is for: the rows of other filters are never shown as these
  const shownFor = `${portal.slug} ${JSON.stringify(filter)}`;
  const loaded = useLoad(
    () => listArticles(accountId, portal.slug, filter).then((answer) => ({ ...answer, shownFor })),
    [accountId, shownFor],
  );
  const articles = { ...loaded, data: loaded.data?.shownFor === shownFor ? loaded.data : undefined };
  const categories = useLoad(() => listCategories(accountId, portal.slug, locale), [accountId, portal.slug, locale]);

  /** The same screen with other filters (a new filter starts at page 1). */
  const withFilters = (changes: Record<string, string | number | undefined>, base = path) => {
    const next = new URLSearchParams(search);
    if (!('page' in changes)) next.delete('page');
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '' || (key === 'page' && value === 1)) next.delete(key);
      else next.set(key, `${value}`);
    }
    const text = next.toString();
    return `${base}${text ? `?${text}` : ''}`;
  };
  const tabPath = (t: ArticleTab) => withFilters({}, helpCenterPath.articles(accountId, portal.slug, locale, t));

  const list = articles.data?.payload ?? [];
  const meta = articles.data?.meta;
  const shown = meta ? countOf(meta, tab) : 0;
  const pages = Math.max(1, Math.ceil(shown / ARTICLES_PER_PAGE));
  const reorderable = administrator && Boolean(category) && list.length > 1;

  const move = (index: number, step: -1 | 1) =>
    moveItem(list, index, step, {
      show: (next) => articles.data && loaded.setData({ ...articles.data, payload: next }),
      send: (ids) => reorderArticles(accountId, portal.slug, ids),
      reload: articles.reload,
      fail: setError,
    });

  return (
    <section class="settings-section hc-section" aria-labelledby="hc-title">
      <div class="hc-heading">
        <h2 id="hc-title">
          Articles <span class="muted">({locale})</span>
        </h2>
        {administrator && (
          <a class="hc-button primary" href={`/app${helpCenterPath.newArticle(accountId, portal.slug, locale)}`}>
            New article
          </a>
        )}
      </div>
      <nav aria-label="Article status" class="hc-tabs">
        <ul>
          {ARTICLE_TABS.map((t) => (
            <li key={t}>
              <a href={`/app${tabPath(t)}`} aria-current={t === tab ? 'page' : undefined} data-tab={t}>
                {TAB_LABELS[t]} <span class="hc-count">{meta ? countOf(meta, t) : '…'}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form
        class="hc-filters"
        aria-label="Filter articles"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(withFilters({ query: typed.trim() }));
        }}
      >
        <label>
          Category
          <select
            name="category"
            value={category}
            onChange={(e) => navigate(withFilters({ category: e.currentTarget.value }))}
          >
            <option value="">All categories</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.id} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" name="query" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      {(articles.error || error) && <p role="alert">{articles.error || error}</p>}
      {!articles.data ? (
        <p role="status">Loading…</p>
      ) : list.length === 0 ? (
        <p>No articles here.</p>
      ) : (
        <table class="settings-table hc-articles">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Category</th>
              <th scope="col">Author</th>
              <th scope="col">Views</th>
              <th scope="col">Updated</th>
              {reorderable && <th scope="col">Order</th>}
            </tr>
          </thead>
          <tbody>
            {list.map((article, index) => (
              <ArticleRow
                key={article.id}
                article={article}
                href={
                  administrator
                    ? `/app${helpCenterPath.article(accountId, portal.slug, locale, article.id)}`
                    : undefined
                }
              >
                {reorderable && (
                  <td class="hc-actions">
                    <MoveButtons
                      name={article.title}
                      index={index}
                      count={list.length}
                      onMove={(step) => move(index, step)}
                    />
                  </td>
                )}
              </ArticleRow>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav class="hc-pages" aria-label="Pages">
          {page > 1 ? <a href={`/app${withFilters({ page: page - 1 })}`}>Previous page</a> : <span />}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? <a href={`/app${withFilters({ page: page + 1 })}`}>Next page</a> : <span />}
        </nav>
      )}
    </section>
  );
}

function ArticleRow({
  article,
  href,
  children,
}: {
  article: Article;
  href: string | undefined;
  children: preact.ComponentChildren;
}) {
  return (
    <tr data-article={article.id}>
      <td>
        {href ? <a href={href}>{article.title}</a> : article.title}
        {article.description && <div class="muted">{article.description}</div>}
      </td>
      <td>
        <span class={`hc-status hc-status-${article.status}`}>{article.status}</span>
      </td>
      <td>{article.category.name ?? '—'}</td>
      <td>{article.author?.name ?? '—'}</td>
      <td>{article.views}</td>
      <td>{new Date(article.updated_at * 1000).toLocaleDateString()}</td>
      {children}
    </tr>
  );
}
