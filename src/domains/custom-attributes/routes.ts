import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { itemRoutes } from '../../core/http/item-routes.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  CustomAttributeDefinitionSchema,
  customAttributeDefinitionJson,
} from '../../serializers/custom-attribute-definition.js';
import { DefinitionBody, definitionFieldsOf, DefinitionQuery } from './schemas.js';
import { createDefinition, getDefinition, listDefinitions, patchDefinition, removeDefinition } from './service.js';

const tags = ['custom attribute definitions'];
const security = [{ userToken: [] }];
const url = '/custom_attribute_definitions';

export async function customAttributeRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Custom attribute definitions',
        querystring: DefinitionQuery,
        response: { 200: Type.Array(CustomAttributeDefinitionSchema) },
      },
    },
    async (request) =>
      (await listDefinitions(accountCtx(request, deps), request.query.attribute_model)).map(
        customAttributeDefinitionJson,
      ),
  );
  itemRoutes(app, deps, {
    url,
    tags,
    summaries: {
      create: 'Define a custom attribute (administrators)',
      show: 'Show a definition',
      update: 'Update a definition (administrators)',
      delete: 'Delete a definition (administrators); 204',
    },
    body: DefinitionBody,
    fieldsOf: definitionFieldsOf,
    response: CustomAttributeDefinitionSchema,
    render: customAttributeDefinitionJson,
    create: createDefinition,
    show: getDefinition,
    update: patchDefinition,
    remove: removeDefinition,
    deleteStatus: 204,
  });
}
