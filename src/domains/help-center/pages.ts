import type { Article, Category, Portal, User } from '../../core/db/schema.js';
import { DEFAULT_PORTAL_COLOR } from '../../serializers/portal.js';
import { availableName } from '../../serializers/agent.js';
import { html, raw, type SafeHtml } from './html.js';

/** What every page of a portal shows: the portal, its public locales, the page's locale. */
export interface PageContext {
  portal: Portal;
  locale: string;
  locales: string[];
  logoUrl: string | null;
}

const seg = encodeURIComponent;
export const homePath = (portal: Portal, locale: string) => `/hc/${seg(portal.slug)}/${seg(locale)}`;
const categoryPath = (portal: Portal, c: Category) => `${homePath(portal, c.locale)}/categories/${seg(c.slug)}`;
export const articlePagePath = (portal: Portal, a: Pick<Article, 'slug'>) =>
  `/hc/${seg(portal.slug)}/articles/${seg(a.slug)}`;

const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f9fafb}
a{color:var(--brand)}header{background:var(--brand);color:#fff;padding:1.5rem 1rem}header a{color:#fff;text-decoration:none}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}.brand{display:flex;align-items:center;gap:.75rem;font-size:1.25rem;font-weight:600}
.brand img{height:2rem}header p{margin:.5rem 0 1rem;opacity:.9}form.search{display:flex;gap:.5rem}
form.search input{flex:1;padding:.6rem .8rem;border:0;border-radius:.4rem;font:inherit}form.search button{padding:.6rem 1rem;border:0;border-radius:.4rem;font:inherit;cursor:pointer}
main{padding:1.5rem 0 3rem}.card{background:#fff;border:1px solid #e5e7eb;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}
.card h2{margin:0 0 .5rem;font-size:1.15rem}ul.list{list-style:none;margin:0;padding:0}ul.list li{padding:.3rem 0}
.muted{color:#6b7280;font-size:.9rem}article.content img{max-width:100%}article.content pre{background:#f3f4f6;padding:.75rem;overflow:auto;border-radius:.4rem}
article.content table{border-collapse:collapse}article.content td,article.content th{border:1px solid #e5e7eb;padding:.3rem .6rem}
nav.locales{margin-top:.75rem;font-size:.9rem}nav.locales a{margin-right:.75rem}footer{padding:2rem 0;text-align:center}
`;

function layout(page: PageContext, title: string, body: SafeHtml): string {
  const { portal, locale } = page;
  const color = portal.color && COLOR.test(portal.color) ? portal.color : DEFAULT_PORTAL_COLOR;
  const home = homePath(portal, locale);
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>:root{--brand:${color}}${raw(STYLE)}</style>
</head>
<body>
<header><div class="wrap">
<a class="brand" href="${home}">${page.logoUrl ? html`<img src="${page.logoUrl}" alt="">` : ''}<span>${portal.page_title || portal.name}</span></a>
${portal.header_text ? html`<p>${portal.header_text}</p>` : ''}
<form class="search" action="${home}/articles" method="get" role="search">
<input type="search" name="query" aria-label="Search articles" placeholder="Search for articles">
<button type="submit">Search</button>
</form>
${
  page.locales.length > 1
    ? html`<nav class="locales" aria-label="Languages">${page.locales.map((code) => html`<a href="${homePath(portal, code)}" ${code === locale ? raw('aria-current="page"') : ''}>${code}</a>`)}</nav>`
    : ''
}
</div></header>
<main><div class="wrap">${body}</div></main>
<footer class="muted">${portal.homepage_link ? html`<a href="${safeUrl(portal.homepage_link)}" rel="noopener">${portal.name}</a>` : portal.name}</footer>
</body>
</html>`.value;
}

/** Only http(s) links from a portal's settings. */
const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? url : '#');

const articleLinks = (portal: Portal, articles: Article[]) =>
  articles.length
    ? html`<ul class="list">${articles.map((a) => html`<li><a href="${articlePagePath(portal, a)}">${a.title}</a>${a.description ? html`<div class="muted">${a.description}</div>` : ''}</li>`)}</ul>`
    : html`<p class="muted">No articles yet.</p>`;

/** The portal's home in a locale: its categories, each with its first articles. */
export function homePage(
  page: PageContext,
  sections: Array<{ category: Category; articles: Article[]; count: number }>,
) {
  const { portal } = page;
  const body = sections.length
    ? sections.map(
        ({ category, articles, count }) => html`<section class="card">
<h2><a href="${categoryPath(portal, category)}">${category.name}</a></h2>
${category.description ? html`<p class="muted">${category.description}</p>` : ''}
${articleLinks(portal, articles)}
${count > articles.length ? html`<p><a href="${categoryPath(portal, category)}">All ${count} articles</a></p>` : ''}
</section>`,
      )
    : html`<p class="muted">Nothing here yet.</p>`;
  return layout(page, portal.page_title || portal.name, html`${body}`);
}

export function categoriesPage(page: PageContext, categories: Array<{ category: Category; count: number }>) {
  const { portal } = page;
  const body = html`<h1>Categories</h1><ul class="list card">${categories.map(({ category, count }) => html`<li><a href="${categoryPath(portal, category)}">${category.name}</a> <span class="muted">${count}</span></li>`)}</ul>`;
  return layout(page, `Categories — ${portal.name}`, body);
}

export function categoryPage(page: PageContext, category: Category, articles: Article[]) {
  const body = html`<h1>${category.name}</h1>
${category.description ? html`<p class="muted">${category.description}</p>` : ''}
<div class="card">${articleLinks(page.portal, articles)}</div>`;
  return layout(page, `${category.name} — ${page.portal.name}`, body);
}

export function articlesPage(page: PageContext, query: string | undefined, articles: Article[]) {
  const heading = query?.trim() ? html`Search results for \u201C${query}\u201D` : html`Articles`;
  const body = html`<h1>${heading}</h1><div class="card">${articleLinks(page.portal, articles)}</div>`;
  return layout(page, `${query?.trim() ? `${query} — ` : ''}${page.portal.name}`, body);
}

export function articlePage(
  page: PageContext,
  article: Article,
  contentHtml: string,
  category: Category | null,
  author: User | null,
) {
  const updated = article.updated_at.toISOString().slice(0, 10);
  const body = html`<p class="muted">${category ? html`<a href="${categoryPath(page.portal, category)}">${category.name}</a>` : ''}</p>
<article class="card content">
<h1>${article.title}</h1>
${article.description ? html`<p class="muted">${article.description}</p>` : ''}
${raw(contentHtml)}
<p class="muted">${author ? html`${availableName(author)} \u00B7 ` : ''}Updated <time datetime="${updated}">${updated}</time></p>
</article>`;
  return layout(page, `${article.title} — ${page.portal.name}`, body);
}

/** A 404 page in the portal's look, or a bare one when there is no portal to show. */
export function notFoundPage(page: PageContext | undefined): string {
  if (!page)
    return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head><body><h1>Page not found</h1></body></html>`
      .value;
  return layout(
    page,
    'Page not found',
    html`<h1>Page not found</h1><p><a href="${homePath(page.portal, page.locale)}">Back to the help center</a></p>`,
  );
}
