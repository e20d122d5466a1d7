import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { AgentBot } from '../../core/db/schema.js';
import { accountCtx, isAdministrator } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
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
        summary: 'Create an agent bot (administrators)',
        body: AccountAgentBotBody,
        response: { 200: AgentBotSchema },
      },
    },
    async (request) => one(request, await createAccountBot(accountCtx(request, deps), request.body)),
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
      summary: 'Update an agent bot (administrators)',
      params: IdParams,
      body: AccountAgentBotBody,
      response: { 200: AgentBotSchema },
    },
    handler: async (request) =>
      one(request, await patchAccountBot(accountCtx(request, deps), request.params.id, request.body)),
  });

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
