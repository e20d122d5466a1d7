import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { itemRoutes } from '../../core/http/item-routes.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  AgentCapacityPolicySchema,
  agentCapacityPolicyJson,
  InboxCapacityLimitSchema,
  inboxCapacityLimitJson,
} from '../../serializers/agent-capacity-policy.js';
import { AgentSchema, agentJson } from '../../serializers/agent.js';
import { CapacityBody, capacityFieldsOf, InboxLimitBody, PolicyItemParams, PolicyParams, UserBody } from './schemas.js';
import {
  addPolicyUser,
  createCapacityPolicy,
  createInboxLimit,
  deleteCapacityPolicy,
  deleteInboxLimit,
  listCapacityPolicies,
  policyUsers,
  removePolicyUser,
  showCapacityPolicy,
  updateCapacityPolicy,
  updateInboxLimit,
} from './service.js';

const tags = ['agent capacity policies'];
const security = [{ userToken: [] }];
const url = '/agent_capacity_policies';

/**
 * Assignment V2 agent capacity (enterprise AgentCapacityPoliciesController with its users and
 * inbox_limits): administrators only; the index is a bare array, an inbox limit's DELETE is a 204.
 */
export async function agentCapacityPolicyRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Agent capacity policies',
        response: { 200: Type.Array(AgentCapacityPolicySchema) },
      },
    },
    async (request) => (await listCapacityPolicies(accountCtx(request, deps))).map(agentCapacityPolicyJson),
  );
  itemRoutes(app, deps, {
    url,
    tags,
    summaries: {
      create: 'Create an agent capacity policy',
      show: 'Show an agent capacity policy',
      update: 'Update an agent capacity policy',
      delete: 'Delete an agent capacity policy',
    },
    body: CapacityBody,
    fieldsOf: capacityFieldsOf,
    response: AgentCapacityPolicySchema,
    render: agentCapacityPolicyJson,
    create: createCapacityPolicy,
    show: showCapacityPolicy,
    update: updateCapacityPolicy,
    remove: deleteCapacityPolicy,
  });

  app.get(
    `${url}/:agent_capacity_policy_id/users`,
    {
      schema: {
        tags,
        security,
        summary: 'Agents under the policy',
        params: PolicyParams,
        response: { 200: Type.Array(AgentSchema) },
      },
    },
    async (request) =>
      (await policyUsers(accountCtx(request, deps), request.params.agent_capacity_policy_id)).map((view) =>
        agentJson(view),
      ),
  );
  app.post(
    `${url}/:agent_capacity_policy_id/users`,
    {
      schema: {
        tags,
        security,
        summary: 'Put an agent under the policy',
        params: PolicyParams,
        body: UserBody,
        response: { 200: AgentSchema },
      },
    },
    async (request) =>
      agentJson(
        await addPolicyUser(accountCtx(request, deps), request.params.agent_capacity_policy_id, request.body.user_id),
      ),
  );
  app.delete(
    `${url}/:agent_capacity_policy_id/users/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Take an agent out of the policy',
        params: PolicyItemParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removePolicyUser(accountCtx(request, deps), request.params.agent_capacity_policy_id, request.params.id);
      return reply.status(200).send('');
    },
  );

  app.post(
    `${url}/:agent_capacity_policy_id/inbox_limits`,
    {
      schema: {
        tags,
        security,
        summary: "Limit the policy's agents in an inbox",
        params: PolicyParams,
        body: InboxLimitBody,
        response: { 200: InboxCapacityLimitSchema },
      },
    },
    async (request) =>
      inboxCapacityLimitJson(
        await createInboxLimit(accountCtx(request, deps), request.params.agent_capacity_policy_id, request.body),
      ),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:agent_capacity_policy_id/inbox_limits/:id`,
    schema: {
      tags,
      security,
      summary: 'Change an inbox limit',
      params: PolicyItemParams,
      body: InboxLimitBody,
      response: { 200: InboxCapacityLimitSchema },
    },
    handler: async (request) =>
      inboxCapacityLimitJson(
        await updateInboxLimit(
          accountCtx(request, deps),
          request.params.agent_capacity_policy_id,
          request.params.id,
          request.body,
        ),
      ),
  });
  app.delete(
    `${url}/:agent_capacity_policy_id/inbox_limits/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Remove an inbox limit; 204',
        params: PolicyItemParams,
        response: { 204: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteInboxLimit(accountCtx(request, deps), request.params.agent_capacity_policy_id, request.params.id);
      return reply.status(204).send('');
    },
  );
}
