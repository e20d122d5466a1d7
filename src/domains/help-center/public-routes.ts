import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Page, SearchText, ShortText } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import type { Portal } from '../../core/db/schema.js';
import {
  PublicArticleSchema,
  PublicPortalSchema,
  publicArticleJson,
  publicCategoryJson,
  publicPortalJson,
} from '../../serializers/public-help-center.js';
import { allowedLocales, defaultLocale, draftLocales } from '../../serializers/portal.js';
import { escapeHtml } from './html.js';
import { renderArticle } from './markdown.js';
import { articlePage, articlePagePath, articlesPage, notFoundPage, type PageContext } from './pages.js';
import { categoryPage, categoriesPage, homePage } from './pages.js';
import {
  countView,
  isPublicLocale,
  publicArticleViews,
  publicPortal,
  publicPortalView,
  publishedArticle,
  publishedArticles,
  sitemapArticles,
} from './public-queries.js';

const tags = ['help center (public)'];

/** No script may run on a help-center page, whatever an article holds; styles are the page's own. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

/** `name.json` / `name.png` / `name`: Rails' format suffix on the last segment. */
function splitFormat(value: string): { name: string; format: 'html' | 'json' | 'png' } {
  const match = /^(.*)\.(json|png)$/.exec(value);
  return match ? { name: match[1]!, format: match[2] as 'json' | 'png' } : { name: value, format: 'html' };
}

const ArticlesQuery = Type.Object({
  query: Type.Optional(SearchText()),
  sort: Type.Optional(ShortText({ description: '"views" for the most read first' })),
  page: Type.Optional(Page()),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

/** A 1×1 transparent PNG (the article view tracking pixel). */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Public help center pages (Public::Api::V1::PortalsController and its articles and categories). */
export async function helpCenterPublicRoutes(app: App, deps: AppDeps) {
  const { db } = deps;

  const page = (portal: Portal, locale: string): PageContext => ({
    portal,
    locale,
    locales: allowedLocales(portal).filter((code) => !draftLocales(portal).includes(code)),
    logoUrl: portal.avatar_url,
  });
  const sendHtml = (reply: FastifyReply, body: string, status = 200) =>
    reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'strict-origin-when-cross-origin')
      .send(body);
  const missing = (reply: FastifyReply, format: string, context?: PageContext) =>
    format === 'json'
      ? reply.status(404).send({ error: 'Resource could not be found' })
      : sendHtml(reply, notFoundPage(context), 404);

  /** The portal and locale of a /hc/:slug/:locale/… page, or the 404 already sent. */
  async function localeScope(reply: FastifyReply, slug: string, locale: string, format: string) {
    const portal = await publicPortal(db, slug);
    if (!portal) return void (await missing(reply, format));
    if (!isPublicLocale(portal, locale))
      return void (await missing(reply, format, page(portal, defaultLocale(portal))));
    return portal;
  }

  app.get(
    '/hc/:slug',
    {
      schema: { tags, summary: "Redirects to the portal's default locale", params: Type.Object({ slug: ShortText() }) },
    },
    async (request, reply) => {
      const portal = await publicPortal(db, request.params.slug);
      if (!portal) return missing(reply, 'html');
      return reply.redirect(`/hc/${encodeURIComponent(portal.slug)}/${encodeURIComponent(defaultLocale(portal))}`);
    },
  );

  app.get(
    '/hc/:slug/sitemap.xml',
    { schema: { tags, summary: "The portal's published articles", params: Type.Object({ slug: ShortText() }) } },
    async (request, reply) => {
      const portal = await publicPortal(db, request.params.slug);
      if (!portal) return reply.status(404).type('text/plain').send('Not Found');
      const base = portal.custom_domain ? `https://${portal.custom_domain}` : deps.storage.urlFor('');
      const entries = (await sitemapArticles(db, portal)).map(
        (a) =>
          `  <sitemap>\n    <loc>${escapeHtml(base + articlePagePath(portal, a))}</loc>\n    <lastmod>${a.updated_at.toISOString().slice(0, 10)}</lastmod>\n  </sitemap>\n`,
      );
      return reply
        .type('application/xml; charset=utf-8')
        .send(`<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex>\n${entries.join('')}</sitemapindex>\n`);
    },
  );

  app.get(
    '/hc/:slug/:locale',
    {
      schema: {
        tags,
        summary: "The portal's home in a locale (HTML; JSON with .json)",
        params: Type.Object({ slug: ShortText(), locale: ShortText() }),
        response: { 200: Type.Union([PublicPortalSchema, Type.String()]) },
      },
    },
    async (request, reply) => {
      const { name: locale, format } = splitFormat(request.params.locale);
      const portal = await localeScope(reply, request.params.slug, locale, format);
      if (!portal) return reply;
      const view = await publicPortalView(db, portal, locale);
      if (format === 'json') return publicPortalJson(view);
      const articles = await publishedArticles(db, portal, { locale, perPage: 100 });
      const sections = view.categories.map(({ category, articlesCount }) => ({
        category,
        count: articlesCount,
        articles: articles.filter((a) => a.category_id === category.id).slice(0, 5),
      }));
      return sendHtml(reply, homePage(page(portal, locale), sections));
    },
  );

  for (const suffix of ['', '.json'] as const)
    app.get(
      `/hc/:slug/:locale/categories${suffix}`,
      {
        schema: {
          tags,
          summary: `The portal's categories in a locale${suffix ? ' (JSON)' : ''}`,
          params: Type.Object({ slug: ShortText(), locale: ShortText() }),
        },
      },
      async (request, reply) => {
        const format = suffix ? 'json' : 'html';
        const { locale } = request.params;
        const portal = await localeScope(reply, request.params.slug, locale, format);
        if (!portal) return reply;
        const view = await publicPortalView(db, portal, locale);
        if (format === 'json') return { payload: view.categories.map(publicCategoryJson) };
        return sendHtml(
          reply,
          categoriesPage(
            page(portal, locale),
            view.categories.map((c) => ({ category: c.category, count: c.articlesCount })),
          ),
        );
      },
    );

  /** A category page, or its articles (HTML pages show the same list). */
  const categoryHandler =
    (listing: boolean) =>
    async (
      request: { params: { slug: string; locale: string; category_slug: string }; query: { query?: string } },
      reply: FastifyReply,
    ) => {
      const { name: categorySlug, format } = listing
        ? { name: request.params.category_slug, format: 'html' as const }
        : splitFormat(request.params.category_slug);
      const { locale } = request.params;
      const portal = await localeScope(reply, request.params.slug, locale, format);
      if (!portal) return reply;
      const view = await publicPortalView(db, portal, locale);
      const found = view.categories.find((c) => c.category.slug === categorySlug);
      if (!found) return missing(reply, format, page(portal, locale));
      if (format === 'json') return reply.send(publicCategoryJson(found));
      const articles = await publishedArticles(db, portal, {
        categoryId: found.category.id,
        query: request.query.query,
      });
      return sendHtml(reply, categoryPage(page(portal, locale), found.category, articles));
    };
  const CategoryParams = Type.Object({ slug: ShortText(), locale: ShortText(), category_slug: ShortText() });
  app.get(
    '/hc/:slug/:locale/categories/:category_slug',
    {
      schema: {
        tags,
        summary: 'A category page (JSON with .json)',
        params: CategoryParams,
        querystring: ArticlesQuery,
      },
    },
    categoryHandler(false),
  );

  /** Published articles: of a locale, or of a category; ranked by a search with ?query=. */
  for (const [path, inCategory] of [
    ['/hc/:slug/:locale/articles', false],
    ['/hc/:slug/:locale/categories/:category_slug/articles', true],
  ] as const)
    for (const suffix of ['', '.json'] as const)
      app.get(
        `${path}${suffix}`,
        {
          schema: {
            tags,
            summary: `Published articles${inCategory ? ' of a category' : ''}, searched with ?query=${suffix ? ' (JSON)' : ''}`,
            params: inCategory ? CategoryParams : Type.Object({ slug: ShortText(), locale: ShortText() }),
            querystring: ArticlesQuery,
            ...(suffix && {
              response: {
                200: Type.Object({
                  payload: Type.Array(PublicArticleSchema),
                  meta: Type.Object({ articles_count: Type.Integer() }),
                }),
              },
            }),
          },
        },
        async (request, reply) => {
          const params = request.params as { slug: string; locale: string; category_slug?: string };
          if (inCategory && !suffix) return categoryHandler(true)(request as never, reply);
          const format = suffix ? 'json' : 'html';
          const portal = await localeScope(reply, params.slug, params.locale, format);
          if (!portal) return reply;
          const view = await publicPortalView(db, portal, params.locale);
          const category = params.category_slug
            ? view.categories.find((c) => c.category.slug === params.category_slug)
            : undefined;
          if (params.category_slug && !category) return missing(reply, format, page(portal, params.locale));
          const { query, sort, page: pageNumber, per_page } = request.query;
          const articles = await publishedArticles(db, portal, {
            locale: params.locale,
            categoryId: category?.category.id,
            query,
            sortByViews: sort === 'views',
            page: pageNumber,
            perPage: per_page,
          });
          if (format === 'html') return sendHtml(reply, articlesPage(page(portal, params.locale), query, articles));
          const views = await publicArticleViews(db, articles);
          return {
            payload: views.map((v) => publicArticleJson(v, view)),
            meta: { articles_count: articles.length },
          };
        },
      );

  app.get(
    '/hc/:slug/articles/:article_slug',
    {
      schema: {
        tags,
        summary: 'A published article (HTML; JSON with .json; a view-counting pixel with .png)',
        params: Type.Object({ slug: ShortText(), article_slug: ShortText() }),
      },
    },
    async (request, reply) => {
      const { name, format } = splitFormat(request.params.article_slug);
      const portal = await publicPortal(db, request.params.slug);
      if (!portal) return missing(reply, format === 'json' ? 'json' : 'html');
      const found = await publishedArticle(db, portal, name);
      if (!found) return missing(reply, format === 'json' ? 'json' : 'html', page(portal, defaultLocale(portal)));
      if (format === 'png') {
        await countView(db, found.article.id);
        return reply.header('cache-control', 'private, max-age=86400').type('image/png').send(PIXEL);
      }
      if (format === 'json') return reply.send(publicArticleJson(found, await publicPortalView(db, portal)));
      await countView(db, found.article.id);
      return sendHtml(
        reply,
        articlePage(
          page(portal, found.article.locale),
          found.article,
          await renderArticle(found.article.content),
          found.category,
          found.author,
        ),
      );
    },
  );
}
