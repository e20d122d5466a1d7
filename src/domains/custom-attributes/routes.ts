import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
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
  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Define a custom attribute (administrators)',
        body: DefinitionBody,
        response: { 200: CustomAttributeDefinitionSchema },
      },
    },
    async (request) =>
      customAttributeDefinitionJson(
        await createDefinition(accountCtx(request, deps), definitionFieldsOf(request.body)),
      ),
  );
  app.get(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Show a definition',
        params: IdParams,
        response: { 200: CustomAttributeDefinitionSchema },
      },
    },
    async (request) => customAttributeDefinitionJson(await getDefinition(accountCtx(request, deps), request.params.id)),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: {
      tags,
      security,
      summary: 'Update a definition (administrators)',
      params: IdParams,
      body: DefinitionBody,
      response: { 200: CustomAttributeDefinitionSchema },
    },
    handler: async (request) =>
      customAttributeDefinitionJson(
        await patchDefinition(accountCtx(request, deps), request.params.id, definitionFieldsOf(request.body)),
      ),
  });
  app.delete(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Delete a definition (administrators); 204',
        params: IdParams,
        response: { 204: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeDefinition(accountCtx(request, deps), request.params.id);
      return reply.status(204).send('');
    },
  );
}
