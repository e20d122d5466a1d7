import { Type } from 'typebox';
import { accountCtx, isAdministrator } from '../../core/http/account-scope.js';
import { IdParams, parseId } from '../../core/http/ids.js';
import { readAvatarForm } from '../../core/http/avatar-upload.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { attachAvatar } from '../../core/storage/avatars.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AgentSchema, agentJson } from '../../serializers/agent.js';
import { AgentBotSchema, agentBotJson } from '../../serializers/agent-bot.js';
import { InboxSchema, inboxJson, type InboxView } from '../../serializers/inbox.js';
import { accessTokensFor } from '../../core/tokens/access-tokens.js';
import { DeletedMessage, InboxBody, SetAgentBotBody } from './schemas.js';
import {
  assignableAgents,
  createInbox,
  getInbox,
  inboxAgentBot,
  listInboxes,
  patchInbox,
  removeInbox,
  removeInboxAvatar,
  resetInboxSecret,
  setInboxAgentBot,
} from './service.js';

const tags = ['inboxes'];
const security = [{ userToken: [] }];

export async function inboxRoutes(app: App, deps: AppDeps) {
  const render = (request: Parameters<typeof accountCtx>[0]) => {
    const administrator = isAdministrator(accountCtx(request, deps));
    return (view: Parameters<typeof inboxJson>[0]) => inboxJson(view, { administrator });
  };

  /** After the inbox is written: a multipart avatar is stored and the inbox points at it. */
  const withAvatar = async (request: Parameters<typeof accountCtx>[0], view: InboxView): Promise<InboxView> => {
    if (!request.avatarFile) return view;
    const target = { owner: 'inboxes', id: view.inbox.id, accountId: view.inbox.account_id } as const;
    return {
      ...view,
      inbox: { ...view.inbox, ...(await attachAvatar(deps.db, deps.storage, target, request.avatarFile)) },
    };
  };

  app.get(
    '/inboxes',
    {
      schema: {
        tags,
        security,
        summary: 'Inboxes you can see',
        response: { 200: Type.Object({ payload: Type.Array(InboxSchema) }) },
      },
    },
    async (request) => ({ payload: (await listInboxes(accountCtx(request, deps))).map(render(request)) }),
  );

  app.post(
    '/inboxes',
    {
      schema: {
        tags,
        security,
        summary: 'Create an API-channel inbox (administrators); multipart with avatar sets its avatar',
        consumes: ['application/json', 'multipart/form-data'],
        body: InboxBody,
        response: { 200: InboxSchema },
      },
      preValidation: readAvatarForm,
    },
    async (request) =>
      render(request)(await withAvatar(request, await createInbox(accountCtx(request, deps), request.body))),
  );

  app.get(
    '/inboxes/:id',
    { schema: { tags, security, summary: 'Show an inbox', params: IdParams, response: { 200: InboxSchema } } },
    async (request) => render(request)(await getInbox(accountCtx(request, deps), parseId(request.params.id))),
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/inboxes/:id',
    schema: {
      tags,
      security,
      summary: 'Update an inbox (administrators); multipart with avatar sets its avatar',
      consumes: ['application/json', 'multipart/form-data'],
      params: IdParams,
      body: InboxBody,
      response: { 200: InboxSchema },
    },
    preValidation: readAvatarForm,
    handler: async (request) =>
      render(request)(
        await withAvatar(
          request,
          await patchInbox(accountCtx(request, deps), parseId(request.params.id), request.body),
        ),
      ),
  });

  app.delete(
    '/inboxes/:id/avatar',
    {
      schema: {
        tags,
        security,
        summary: "Remove an inbox's avatar (administrators; 200, empty body)",
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeInboxAvatar(accountCtx(request, deps), parseId(request.params.id));
      return reply.status(200).send('');
    },
  );

  app.post(
    '/inboxes/:id/reset_secret',
    {
      schema: {
        tags,
        security,
        summary: 'New signing secret for the webhook_url deliveries (administrators)',
        params: IdParams,
        response: { 200: InboxSchema },
      },
    },
    async (request) => render(request)(await resetInboxSecret(accountCtx(request, deps), parseId(request.params.id))),
  );

  app.delete(
    '/inboxes/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an inbox (administrators)',
        params: IdParams,
        response: { 200: DeletedMessage },
      },
    },
    async (request) => {
      await removeInbox(accountCtx(request, deps), parseId(request.params.id));
      return { message: 'Your inbox deletion request will be processed in some time.' };
    },
  );

  app.get(
    '/inboxes/:id/assignable_agents',
    {
      schema: {
        tags,
        security,
        summary: 'Members of the inbox plus administrators',
        params: IdParams,
        response: { 200: Type.Object({ payload: Type.Array(AgentSchema) }) },
      },
    },
    async (request) => ({
      payload: (await assignableAgents(accountCtx(request, deps), parseId(request.params.id))).map((v) => agentJson(v)),
    }),
  );

  app.get(
    '/inboxes/:id/agent_bot',
    {
      schema: {
        tags,
        security,
        summary: 'The agent bot answering this inbox',
        params: IdParams,
        response: { 200: Type.Object({ agent_bot: Type.Optional(AgentBotSchema) }) },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      const bot = await inboxAgentBot(ctx, parseId(request.params.id));
      if (!bot) return {}; // jbuilder drops the empty agent_bot block
      const token = (await accessTokensFor(ctx.db, 'AgentBot', [bot.id])).get(bot.id) ?? null;
      return {
        agent_bot: agentBotJson(bot, {
          accessToken: token,
          administrator: isAdministrator(ctx),
          accountId: ctx.account.id,
        }),
      };
    },
  );

  app.post(
    '/inboxes/:id/set_agent_bot',
    {
      schema: {
        tags,
        security,
        summary: 'Attach an agent bot, or detach with null (administrators)',
        params: IdParams,
        body: SetAgentBotBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await setInboxAgentBot(accountCtx(request, deps), parseId(request.params.id), request.body.agent_bot);
      return reply.status(200).send('');
    },
  );
}
