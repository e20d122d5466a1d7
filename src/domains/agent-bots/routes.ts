import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { AgentBot } from '../../core/db/schema.js';
import { accountCtx, isAdministrator } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { readAvatarForm } from '../../core/http/avatar-upload.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { attachAvatar } from '../../core/storage/avatars.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AgentBotSchema, agentBotJson } from '../../serializers/agent-bot.js';
import { accessTokensFor } from '../../core/tokens/access-tokens.js';
import { AccountAgentBotBody } from './schemas.js';
import {
  createAccountBot,
  getAccountBot,
  listAccountBots,
  patchAccountBot,
  removeAccountBot,
  removeAccountBotAvatar,
  resetAccountBotSecret,
  resetAccountBotToken,
} from './service.js';

const tags = ['agent bots'];
const security = [{ userToken: [] }];

export async function accountAgentBotRoutes(app: App, deps: AppDeps) {
  const render = async (request: FastifyRequest, bots: AgentBot[]) => {
    const ctx = accountCtx(request, deps);
    const tokens = await accessTokensFor(
      ctx.db,
      'AgentBot',
      bots.map((bot) => bot.id),
    );
    const administrator = isAdministrator(ctx);
    return bots.map((bot) =>
      agentBotJson(bot, { accessToken: tokens.get(bot.id) ?? null, administrator, accountId: ctx.account.id }),
    );
  };
  const one = async (request: FastifyRequest, bot: AgentBot) => (await render(request, [bot]))[0]!;
  /** After the bot is written: a multipart avatar is stored and the bot points at it. */
  const withAvatar = async (request: FastifyRequest, bot: AgentBot): Promise<AgentBot> => {
    if (!request.avatarFile) return bot;
    const target = { owner: 'agent_bots', id: bot.id, accountId: bot.account_id } as const;
    return { ...bot, ...(await attachAvatar(deps.db, deps.storage, target, request.avatarFile)) };
  };

  app.get(
    '/agent_bots',
    {
      schema: {
        tags,
        security,
        summary: "The account's bots and the installation's global bots",
        response: { 200: Type.Array(AgentBotSchema) },
      },
    },
    async (request) => render(request, await listAccountBots(accountCtx(request, deps))),
  );

  app.post(
    '/agent_bots',
    {
      schema: {
        tags,
        security,
        summary: 'Create an agent bot (administrators); multipart with avatar sets its avatar',
        consumes: ['application/json', 'multipart/form-data'],
        body: AccountAgentBotBody,
        response: { 200: AgentBotSchema },
      },
      preValidation: readAvatarForm,
    },
    async (request) =>
      one(request, await withAvatar(request, await createAccountBot(accountCtx(request, deps), request.body))),
  );

  app.get(
    '/agent_bots/:id',
    { schema: { tags, security, summary: 'Show an agent bot', params: IdParams, response: { 200: AgentBotSchema } } },
    async (request) => one(request, await getAccountBot(accountCtx(request, deps), request.params.id)),
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/agent_bots/:id',
    schema: {
      tags,
      security,
      summary: 'Update an agent bot (administrators); multipart with avatar sets its avatar',
      consumes: ['application/json', 'multipart/form-data'],
      params: IdParams,
      body: AccountAgentBotBody,
      response: { 200: AgentBotSchema },
    },
    preValidation: readAvatarForm,
    handler: async (request) =>
      one(
        request,
        await withAvatar(request, await patchAccountBot(accountCtx(request, deps), request.params.id, request.body)),
      ),
  });

  app.delete(
    '/agent_bots/:id/avatar',
    {
      schema: {
        tags,
        security,
        summary: "Remove an agent bot's avatar (administrators)",
        params: IdParams,
        response: { 200: AgentBotSchema },
      },
    },
    async (request) => {
      return one(request, await removeAccountBotAvatar(accountCtx(request, deps), request.params.id));
    },
  );

  app.delete(
    '/agent_bots/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an agent bot (administrators)',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeAccountBot(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );

  app.post(
    '/agent_bots/:id/reset_access_token',
    {
      schema: {
        tags,
        security,
        summary: "Rotate the bot's access token (administrators)",
        params: IdParams,
        response: { 200: AgentBotSchema },
      },
    },
    async (request) => one(request, await resetAccountBotToken(accountCtx(request, deps), request.params.id)),
  );

  app.post(
    '/agent_bots/:id/reset_secret',
    {
      schema: {
        tags,
        security,
        summary: "New signing secret for the bot's deliveries (administrators)",
        params: IdParams,
        response: { 200: AgentBotSchema },
      },
    },
    async (request) => one(request, await resetAccountBotSecret(accountCtx(request, deps), request.params.id)),
  );
}
