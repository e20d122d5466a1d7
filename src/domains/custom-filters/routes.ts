import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { itemRoutes } from '../../core/http/item-routes.js';
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
  itemRoutes(app, deps, {
    url,
    tags,
    summaries: {
      create: 'Save a custom filter',
      show: "Show one of the caller's custom filters",
      update: "Update one of the caller's custom filters",
      delete: "Delete one of the caller's custom filters; 204",
    },
    body: CustomFilterBody,
    fieldsOf: customFilterFieldsOf,
    response: CustomFilterSchema,
    render: customFilterJson,
    create: createCustomFilter,
    show: getCustomFilter,
    update: patchCustomFilter,
    remove: removeCustomFilter,
    deleteStatus: 204,
  });
}
