import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { CategorySchema, categoryJson } from '../../serializers/category.js';
import { createCategory, deleteCategory, getCategory, listCategories, reorder, updateCategory } from './categories.js';
import {
  CategoryBody,
  categoryFieldsOf,
  LocaleQuery,
  PortalItemParams,
  PortalScopeParams,
  ReorderBody,
} from './schemas.js';

const tags = ['help center'];
const security = [{ userToken: [] }];
const Envelope = Type.Object({ payload: CategorySchema });

/** Categories of a portal (Api::V1::Accounts::CategoriesController). */
export async function categoryRoutes(app: App, deps: AppDeps) {
  app.get(
    '/portals/:portal_id/categories',
    {
      schema: {
        tags,
        security,
        summary: "The portal's categories (of one locale with ?locale=), by position",
        params: PortalScopeParams,
        querystring: LocaleQuery,
        response: {
          200: Type.Object({
            payload: Type.Array(CategorySchema),
            meta: Type.Object({ current_page: Type.Integer(), categories_count: Type.Integer() }),
          }),
        },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      const views = await listCategories(ctx, request.params.portal_id, request.query.locale);
      return {
        payload: views.map(categoryJson),
        meta: { current_page: request.query.page ?? 1, categories_count: views.length },
      };
    },
  );
  app.post(
    '/portals/:portal_id/categories',
    {
      schema: {
        tags,
        security,
        summary: 'Create a category (administrators)',
        params: PortalScopeParams,
        body: CategoryBody,
        response: { 200: Envelope },
      },
    },
    async (request) => ({
      payload: categoryJson(
        await createCategory(accountCtx(request, deps), request.params.portal_id, categoryFieldsOf(request.body)),
      ),
    }),
  );
  app.post(
    '/portals/:portal_id/categories/reorder',
    {
      schema: {
        tags,
        security,
        summary: 'Set the positions of categories (administrators)',
        params: PortalScopeParams,
        body: ReorderBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await reorder(accountCtx(request, deps), 'categories', request.params.portal_id, request.body);
      return reply.status(200).send('');
    },
  );
  app.get(
    '/portals/:portal_id/categories/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show a category (administrators)',
        params: PortalItemParams,
        response: { 200: Envelope },
      },
    },
    async (request) => ({
      payload: categoryJson(await getCategory(accountCtx(request, deps), request.params.portal_id, request.params.id)),
    }),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/portals/:portal_id/categories/:id',
    schema: {
      tags,
      security,
      summary: 'Update a category (administrators)',
      params: PortalItemParams,
      body: CategoryBody,
      response: { 200: Envelope },
    },
    handler: async (request) => ({
      payload: categoryJson(
        await updateCategory(
          accountCtx(request, deps),
          request.params.portal_id,
          request.params.id,
          categoryFieldsOf(request.body),
        ),
      ),
    }),
  });
  app.delete(
    '/portals/:portal_id/categories/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a category (administrators); its articles stay',
        params: PortalItemParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteCategory(accountCtx(request, deps), request.params.portal_id, request.params.id);
      return reply.status(200).send('');
    },
  );
}
