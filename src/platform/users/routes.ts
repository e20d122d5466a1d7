import { EmptyBody } from '../../core/http/schemas.js';
import { IdParams, parseId } from '../../core/http/ids.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { PlatformUserSchema, platformUserJson } from '../../serializers/user.js';
import { platformCtx } from '../apps/context.js';
import { PLATFORM_ERRORS } from '../apps/errors-schema.js';
import { LoginLink, UserBody, UserToken } from './schemas.js';
import { createLoginLink, createUser, getUser, getUserToken, patchUser, removeUser } from './service.js';

const tags = ['platform: users'];
const security = [{ platformAppToken: [] }];

export async function platformUserRoutes(app: App, deps: AppDeps) {
  app.post(
    '/users',
    {
      schema: {
        tags,
        security,
        summary: 'Create a user (an existing email adopts that user)',
        body: UserBody,
        response: { 200: PlatformUserSchema, ...PLATFORM_ERRORS },
      },
    },
    async (request) => platformUserJson(await createUser(platformCtx(request, deps), request.body)),
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show a user',
        params: IdParams,
        response: { 200: PlatformUserSchema, ...PLATFORM_ERRORS },
      },
    },
    async (request) => platformUserJson(await getUser(platformCtx(request, deps), parseId(request.params.id))),
  );

  // Rails routes PATCH and PUT alike
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/users/:id',
    schema: {
      tags,
      security,
      summary: 'Update a user',
      params: IdParams,
      body: UserBody,
      response: { 200: PlatformUserSchema, ...PLATFORM_ERRORS },
    },
    handler: async (request) =>
      platformUserJson(await patchUser(platformCtx(request, deps), parseId(request.params.id), request.body)),
  });

  app.delete(
    '/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a user (200, empty body)',
        params: IdParams,
        response: { 200: EmptyBody, ...PLATFORM_ERRORS },
      },
    },
    async (request, reply) => {
      await removeUser(platformCtx(request, deps), parseId(request.params.id));
      return reply.status(200).send('');
    },
  );

  app.get(
    '/users/:id/login',
    {
      schema: {
        tags,
        security,
        summary: 'One-time dashboard sign-in link',
        params: IdParams,
        response: { 200: LoginLink, ...PLATFORM_ERRORS },
      },
    },
    async (request) => createLoginLink(platformCtx(request, deps), parseId(request.params.id)),
  );

  app.post(
    '/users/:id/token',
    {
      schema: {
        tags,
        security,
        summary: "The user's Application API access token",
        params: IdParams,
        response: { 200: UserToken, ...PLATFORM_ERRORS },
      },
    },
    async (request) => getUserToken(platformCtx(request, deps), parseId(request.params.id)),
  );
}
