import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { itemRoutes } from '../../core/http/item-routes.js';
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
  itemRoutes(app, deps, {
    url,
    tags,
    summaries: {
      create: 'Create an SLA policy (administrators)',
      show: 'One SLA policy',
      update: 'Update an SLA policy (administrators)',
      delete: 'Delete an SLA policy (administrators)',
    },
    body: SlaPolicyBody,
    fieldsOf: slaPolicyFieldsOf,
    response: One,
    render: (policy) => ({ payload: slaPolicyJson(policy) }),
    create: createSlaPolicy,
    show: fetchSlaPolicy,
    update: updateSlaPolicy,
    remove: deleteSlaPolicy,
  });
}
