import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AgentSchema, agentJson } from '../../serializers/agent.js';
import type { AgentView } from '../../serializers/agent.js';
import { InboxIdParams, InboxMembersBody } from './schemas.js';
import { addInboxMembers, listInboxMembers, removeInboxMembers, replaceInboxMembers } from './service.js';

const tags = ['inbox members'];
const security = [{ userToken: [] }];
const Payload = Type.Object({ payload: Type.Array(AgentSchema) });
const payload = (views: AgentView[]) => ({ payload: views.map((view) => agentJson(view)) });

export async function inboxMemberRoutes(app: App, deps: AppDeps) {
  app.get(
    '/inbox_members/:inbox_id',
    { schema: { tags, security, summary: 'Members of an inbox', params: InboxIdParams, response: { 200: Payload } } },
    async (request) => payload(await listInboxMembers(accountCtx(request, deps), request.params.inbox_id)),
  );

  app.post(
    '/inbox_members',
    {
      schema: {
        tags,
        security,
        summary: 'Add members to an inbox (administrators)',
        body: InboxMembersBody,
        response: { 200: Payload },
      },
    },
    async (request) => payload(await addInboxMembers(accountCtx(request, deps), request.body)),
  );

  app.patch(
    '/inbox_members',
    {
      schema: {
        tags,
        security,
        summary: "Replace an inbox's members (administrators)",
        body: InboxMembersBody,
        response: { 200: Payload },
      },
    },
    async (request) => payload(await replaceInboxMembers(accountCtx(request, deps), request.body)),
  );

  // DELETE /inbox_members/:inbox_id is not a Chatwoot route, but Chatwoot's published spec (and
  // SDKs generated from it, e.g. @figuro/chatwoot-sdk) use it. The inbox is the path's: a body's
  // inbox_id never redirects the removal to another inbox than the one the URL names.
  app.delete(
    '/inbox_members/:inbox_id',
    {
      schema: {
        tags,
        security,
        summary: "Remove members from the path's inbox (path form used by generated SDKs)",
        params: InboxIdParams,
        body: InboxMembersBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeInboxMembers(accountCtx(request, deps), { ...request.body, inbox_id: request.params.inbox_id });
      return reply.status(200).send('');
    },
  );

  app.delete(
    '/inbox_members',
    {
      schema: {
        tags,
        security,
        summary: 'Remove members from an inbox (administrators)',
        body: InboxMembersBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeInboxMembers(accountCtx(request, deps), request.body);
      return reply.status(200).send('');
    },
  );
}
