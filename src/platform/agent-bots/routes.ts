import type { FastifyRequest } from 'fastify';
import { readAvatarForm } from '../../core/http/avatar-upload.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { attachAvatar } from '../../core/storage/avatars.js';
import { Type } from 'typebox';
import { IdParams, parseId } from '../../core/http/ids.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { PlatformAgentBotSchema, platformAgentBotJson } from '../../serializers/agent-bot.js';
import { platformCtx } from '../apps/context.js';
import { PLATFORM_ERRORS } from '../apps/errors-schema.js';
import { AgentBotBody } from './schemas.js';
import {
  createAgentBot,
  getAgentBot,
  listAgentBots,
  patchAgentBot,
  removeAgentBot,
  removeAgentBotAvatar,
  type BotWithToken,
} from './service.js';

const tags = ['platform: agent bots'];
const security = [{ platformAppToken: [] }];
const render = ({ bot, accessToken }: BotWithToken) => platformAgentBotJson(bot, accessToken);

export async function platformAgentBotRoutes(app: App, deps: AppDeps) {
  /** After the bot is written: a multipart avatar is stored and the bot points at it. */
  const withAvatar = async (request: FastifyRequest, created: BotWithToken): Promise<BotWithToken> => {
    if (!request.avatarFile) return created;
    // a platform bot may be global (no account): its row is found by id alone
    const target = { owner: 'agent_bots', id: created.bot.id, accountId: null } as const;
    return {
      ...created,
      bot: { ...created.bot, ...(await attachAvatar(deps.db, deps.storage, target, request.avatarFile)) },
    };
  };

  app.get(
    '/agent_bots',
    {
      schema: {
        tags,
        security,
        summary: 'List the agent bots this platform app may manage',
        response: { 200: Type.Array(PlatformAgentBotSchema), ...PLATFORM_ERRORS },
      },
    },
    async (request) => (await listAgentBots(platformCtx(request, deps))).map(render),
  );

  app.post(
    '/agent_bots',
    {
      schema: {
        tags,
        security,
        summary: 'Create an agent bot; multipart with avatar sets its avatar',
        consumes: ['application/json', 'multipart/form-data'],
        body: AgentBotBody,
        response: { 200: PlatformAgentBotSchema, ...PLATFORM_ERRORS },
      },
      preValidation: readAvatarForm,
    },
    async (request) =>
      render(await withAvatar(request, await createAgentBot(platformCtx(request, deps), request.body))),
  );

  app.get(
    '/agent_bots/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show an agent bot',
        params: IdParams,
        response: { 200: PlatformAgentBotSchema, ...PLATFORM_ERRORS },
      },
    },
    async (request) => render(await getAgentBot(platformCtx(request, deps), parseId(request.params.id))),
  );

  // Rails routes PATCH and PUT alike
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/agent_bots/:id',
    schema: {
      tags,
      security,
      summary: 'Update an agent bot; multipart with avatar sets its avatar',
      consumes: ['application/json', 'multipart/form-data'],
      params: IdParams,
      body: AgentBotBody,
      response: { 200: PlatformAgentBotSchema, ...PLATFORM_ERRORS },
    },
    preValidation: readAvatarForm,
    handler: async (request) =>
      render(
        await withAvatar(
          request,
          await patchAgentBot(platformCtx(request, deps), parseId(request.params.id), request.body),
        ),
      ),
  });

  app.delete(
    '/agent_bots/:id/avatar',
    {
      schema: {
        tags,
        security,
        summary: "Remove an agent bot's avatar",
        params: IdParams,
        response: { 200: PlatformAgentBotSchema, ...PLATFORM_ERRORS },
      },
    },
    async (request) =>
      render(await removeAgentBotAvatar(platformCtx(request, deps), deps.storage, parseId(request.params.id))),
  );

  app.delete(
    '/agent_bots/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an agent bot (200, empty body)',
        params: IdParams,
        response: { 200: EmptyBody, ...PLATFORM_ERRORS },
      },
    },
    async (request, reply) => {
      await removeAgentBot(platformCtx(request, deps), parseId(request.params.id));
      return reply.status(200).send('');
    },
  );
}
