import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams, parseId } from '../../core/http/ids.js';
import { EmptyBody, IdOrText } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AgentSchema, agentJson } from '../../serializers/agent.js';
import { assignableAgents } from './assignable.js';
import { AgentBody, agentFieldsOf, BulkCreateBody } from './schemas.js';
import { bulkCreateAgents, createAgent, listAgents, removeAgent, updateAgent } from './service.js';

const tags = ['agents'];
const security = [{ userToken: [] }];

export async function agentRoutes(app: App, deps: AppDeps) {
  app.get(
    '/agents',
    { schema: { tags, security, summary: 'Agents of the account', response: { 200: Type.Array(AgentSchema) } } },
    async (request) => (await listAgents(accountCtx(request, deps))).map((view) => agentJson(view)),
  );

  app.get(
    '/assignable_agents',
    {
      schema: {
        tags,
        security,
        summary: 'Agents who are members of every given inbox, then the administrators',
        querystring: Type.Object({
          inbox_ids: Type.Optional(
            Type.Array(IdOrText(), {
              maxItems: 1000,
              description: 'inbox_ids[]=: inboxes of the account (all required)',
            }),
          ),
        }),
        response: { 200: Type.Object({ payload: Type.Array(AgentSchema) }) },
      },
    },
    async (request) => ({
      payload: (await assignableAgents(accountCtx(request, deps), request.query.inbox_ids)).map((view) =>
        agentJson(view),
      ),
    }),
  );

  app.post(
    '/agents',
    {
      schema: {
        tags,
        security,
        summary: 'Add an agent (administrators)',
        body: AgentBody,
        response: { 200: AgentSchema },
      },
    },
    async (request) => agentJson(await createAgent(accountCtx(request, deps), agentFieldsOf(request.body))),
  );

  app.post(
    '/agents/bulk_create',
    {
      schema: {
        tags,
        security,
        summary: 'Add agents by email (administrators)',
        body: BulkCreateBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await bulkCreateAgents(accountCtx(request, deps), request.body.emails);
      return reply.status(200).send('');
    },
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/agents/:id',
    schema: {
      tags,
      security,
      summary: "Change an agent's name, role or availability (administrators)",
      params: IdParams,
      body: AgentBody,
      response: { 200: AgentSchema },
    },
    handler: async (request) =>
      agentJson(await updateAgent(accountCtx(request, deps), parseId(request.params.id), agentFieldsOf(request.body))),
  });

  app.delete(
    '/agents/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Remove an agent from the account (administrators)',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeAgent(accountCtx(request, deps), parseId(request.params.id));
      return reply.status(200).send('');
    },
  );
}
