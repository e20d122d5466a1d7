import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { ArticleSchema, articleJson } from '../../serializers/article.js';
import { createArticle, deleteArticle, getArticle, listArticles, updateArticle } from './articles.js';
import { reorder } from './categories.js';
import {
  ArticleBody,
  ArticleListQuery,
  articleFieldsOf,
  PortalItemParams,
  PortalScopeParams,
  ReorderBody,
} from './schemas.js';

const tags = ['help center'];
const security = [{ userToken: [] }];
const Envelope = Type.Object({ payload: ArticleSchema });

/** Articles of a portal (Api::V1::Accounts::ArticlesController). */
export async function articleRoutes(app: App, deps: AppDeps) {
  app.get(
    '/portals/:portal_id/articles',
    {
      schema: {
        tags,
        security,
        summary: 'Articles of the portal, filtered, 25 a page, with counts by status',
        params: PortalScopeParams,
        querystring: ArticleListQuery,
        response: {
          200: Type.Object({
            payload: Type.Array(ArticleSchema),
            meta: Type.Object({
              current_page: Type.Integer(),
              articles_count: Type.Integer(),
              all_articles_count: Type.Integer(),
              archived_articles_count: Type.Integer(),
              published_count: Type.Integer(),
              draft_articles_count: Type.Integer(),
              mine_articles_count: Type.Optional(Type.Integer()),
            }),
          }),
        },
      },
    },
    async (request) => {
      const { views, counts, page } = await listArticles(
        accountCtx(request, deps),
        request.params.portal_id,
        request.query,
      );
      return {
        payload: views.map(articleJson),
        meta: {
          current_page: page,
          articles_count: counts.all,
          all_articles_count: counts.all,
          archived_articles_count: counts.archived,
          published_count: counts.published,
          draft_articles_count: counts.draft,
          ...(counts.mine !== undefined && { mine_articles_count: counts.mine }),
        },
      };
    },
  );
  app.post(
    '/portals/:portal_id/articles',
    {
      schema: {
        tags,
        security,
        summary: 'Create an article (administrators); a draft unless a status is given',
        params: PortalScopeParams,
        body: ArticleBody,
        response: { 200: Envelope },
      },
    },
    async (request) => ({
      payload: articleJson(
        await createArticle(accountCtx(request, deps), request.params.portal_id, articleFieldsOf(request.body)),
      ),
    }),
  );
  app.post(
    '/portals/:portal_id/articles/reorder',
    {
      schema: {
        tags,
        security,
        summary: 'Set the positions of articles (administrators)',
        params: PortalScopeParams,
        body: ReorderBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await reorder(accountCtx(request, deps), 'articles', request.params.portal_id, request.body);
      return reply.status(200).send('');
    },
  );
  app.get(
    '/portals/:portal_id/articles/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show an article (administrators)',
        params: PortalItemParams,
        response: { 200: Envelope },
      },
    },
    async (request) => ({
      payload: articleJson(await getArticle(accountCtx(request, deps), request.params.portal_id, request.params.id)),
    }),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/portals/:portal_id/articles/:id',
    schema: {
      tags,
      security,
      summary: 'Update an article (administrators)',
      params: PortalItemParams,
      body: ArticleBody,
      response: { 200: Envelope },
    },
    handler: async (request) => ({
      payload: articleJson(
        await updateArticle(
          accountCtx(request, deps),
          request.params.portal_id,
          request.params.id,
          articleFieldsOf(request.body),
        ),
      ),
    }),
  });
  app.delete(
    '/portals/:portal_id/articles/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an article (administrators)',
        params: PortalItemParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteArticle(accountCtx(request, deps), request.params.portal_id, request.params.id);
      return reply.status(200).send('');
    },
  );
}
