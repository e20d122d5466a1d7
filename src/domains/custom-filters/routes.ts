import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { CustomFilterSchema, customFilterJson } from '../../serializers/custom-filter.js';
import { CustomFilterBody, customFilterFieldsOf, CustomFilterQuery } from './schemas.js';
import {
  createCustomFilter,
  getCustomFilter,
  listCustomFilters,
  patchCustomFilter,
  removeCustomFilter,
} from './service.js';

const tags = ['custom filters'];
const security = [{ userToken: [] }];
const url = '/custom_filters';

/** Saved filters ("views") belong to the calling user in this account; every member may keep their own. */
export async function customFilterRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: "The caller's custom filters of one type",
        querystring: CustomFilterQuery,
        response: { 200: Type.Array(CustomFilterSchema) },
      },
    },
    async (request) =>
      (await listCustomFilters(accountCtx(request, deps), request.query.filter_type)).map(customFilterJson),
  );
  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Save a custom filter',
        body: CustomFilterBody,
        response: { 200: CustomFilterSchema },
      },
    },
    async (request) =>
      customFilterJson(await createCustomFilter(accountCtx(request, deps), customFilterFieldsOf(request.body))),
  );
  app.get(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: "Show one of the caller's custom filters",
        params: IdParams,
        response: { 200: CustomFilterSchema },
      },
    },
    async (request) => customFilterJson(await getCustomFilter(accountCtx(request, deps), request.params.id)),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: {
      tags,
      security,
      summary: "Update one of the caller's custom filters",
      params: IdParams,
      body: CustomFilterBody,
      response: { 200: CustomFilterSchema },
    },
    handler: async (request) =>
      customFilterJson(
        await patchCustomFilter(accountCtx(request, deps), request.params.id, customFilterFieldsOf(request.body)),
      ),
  });
  app.delete(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: "Delete one of the caller's custom filters; 204",
        params: IdParams,
        response: { 204: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeCustomFilter(accountCtx(request, deps), request.params.id);
      return reply.status(204).send('');
    },
  );
}
