import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { SlaPolicySchema, slaPolicyJson } from '../../serializers/sla-policy.js';
import { SlaPolicyBody, slaPolicyFieldsOf } from './schemas.js';
import { createSlaPolicy, deleteSlaPolicy, fetchSlaPolicy, listSlaPolicies, updateSlaPolicy } from './service.js';

const tags = ['sla policies'];
const security = [{ userToken: [] }];
const url = '/sla_policies';
const One = Type.Object({ payload: SlaPolicySchema });

/** enterprise SlaPoliciesController: every answer wraps the policy (or the list) in `payload`. */
export async function slaPolicyRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'SLA policies of the account',
        response: { 200: Type.Object({ payload: Type.Array(SlaPolicySchema) }) },
      },
    },
    async (request) => ({ payload: (await listSlaPolicies(accountCtx(request, deps))).map(slaPolicyJson) }),
  );
  app.get(
    `${url}/:id`,
    { schema: { tags, security, summary: 'One SLA policy', params: IdParams, response: { 200: One } } },
    async (request) => ({ payload: slaPolicyJson(await fetchSlaPolicy(accountCtx(request, deps), request.params.id)) }),
  );
  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Create an SLA policy (administrators)',
        body: SlaPolicyBody,
        response: { 200: One },
      },
    },
    async (request) => ({
      payload: slaPolicyJson(await createSlaPolicy(accountCtx(request, deps), slaPolicyFieldsOf(request.body))),
    }),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: {
      tags,
      security,
      summary: 'Update an SLA policy (administrators)',
      params: IdParams,
      body: SlaPolicyBody,
      response: { 200: One },
    },
    handler: async (request) => ({
      payload: slaPolicyJson(
        await updateSlaPolicy(accountCtx(request, deps), request.params.id, slaPolicyFieldsOf(request.body)),
      ),
    }),
  });
  app.delete(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Delete an SLA policy (administrators)',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteSlaPolicy(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
}
