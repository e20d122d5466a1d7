import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { CannedResponseSchema, cannedResponseJson } from '../../serializers/canned-response.js';
import { CannedResponseBody, cannedResponseFieldsOf, CannedResponseQuery } from './schemas.js';
import { createCannedResponse, listCannedResponses, patchCannedResponse, removeCannedResponse } from './service.js';

const tags = ['canned responses'];
const security = [{ userToken: [] }];
const url = '/canned_responses';

/** Chatwoot routes index, create, update and destroy only (no show); bodies are bare, as `render json:` gives them. */
export async function cannedResponseRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Canned responses of the account, optionally searched',
        querystring: CannedResponseQuery,
        response: { 200: Type.Array(CannedResponseSchema) },
      },
    },
    async (request) =>
      (await listCannedResponses(accountCtx(request, deps), request.query.search)).map(cannedResponseJson),
  );
  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Create a canned response',
        body: CannedResponseBody,
        response: { 200: CannedResponseSchema },
      },
    },
    async (request) =>
      cannedResponseJson(await createCannedResponse(accountCtx(request, deps), cannedResponseFieldsOf(request.body))),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: {
      tags,
      security,
      summary: 'Update a canned response',
      params: IdParams,
      body: CannedResponseBody,
      response: { 200: CannedResponseSchema },
    },
    handler: async (request) =>
      cannedResponseJson(
        await patchCannedResponse(accountCtx(request, deps), request.params.id, cannedResponseFieldsOf(request.body)),
      ),
  });
  app.delete(
    `${url}/:id`,
    { schema: { tags, security, summary: 'Delete a canned response', params: IdParams, response: { 200: EmptyBody } } },
    async (request, reply) => {
      await removeCannedResponse(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
}
