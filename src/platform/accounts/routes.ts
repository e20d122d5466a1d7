import { EmptyBody } from '../../core/http/schemas.js';
import { Type } from 'typebox';
import { IdParams, parseId } from '../../core/http/ids.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { PlatformAccountSchema, platformAccountJson } from '../../serializers/account.js';
import { platformCtx } from '../apps/context.js';
import { PLATFORM_ERRORS } from '../apps/errors-schema.js';
import { AccountBody } from './schemas.js';
import { createAccount, getAccount, listAccounts, patchAccount, removeAccount } from './service.js';

const tags = ['platform: accounts'];
const security = [{ platformAppToken: [] }];

export async function platformAccountRoutes(app: App, deps: AppDeps) {
  app.get(
    '/accounts',
    {
      schema: {
        tags,
        security,
        summary: 'List the accounts this platform app may manage',
        response: { 200: Type.Array(PlatformAccountSchema), ...PLATFORM_ERRORS },
      },
    },
    async (request) => (await listAccounts(platformCtx(request, deps))).map(platformAccountJson),
  );

  app.post(
    '/accounts',
    {
      schema: {
        tags,
        security,
        summary: 'Create an account',
        body: AccountBody,
        response: { 200: PlatformAccountSchema, ...PLATFORM_ERRORS },
      },
    },
    async (request) => platformAccountJson(await createAccount(platformCtx(request, deps), request.body)),
  );

  app.get(
    '/accounts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show an account',
        params: IdParams,
        response: { 200: PlatformAccountSchema, ...PLATFORM_ERRORS },
      },
    },
    async (request) => platformAccountJson(await getAccount(platformCtx(request, deps), parseId(request.params.id))),
  );

  // Rails routes PATCH and PUT alike
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/accounts/:id',
    schema: {
      tags,
      security,
      summary: 'Update an account',
      params: IdParams,
      body: AccountBody,
      response: { 200: PlatformAccountSchema, ...PLATFORM_ERRORS },
    },
    handler: async (request) =>
      platformAccountJson(await patchAccount(platformCtx(request, deps), parseId(request.params.id), request.body)),
  });

  app.delete(
    '/accounts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an account (200, empty body)',
        params: IdParams,
        response: { 200: EmptyBody, ...PLATFORM_ERRORS },
      },
    },
    async (request, reply) => {
      await removeAccount(platformCtx(request, deps), parseId(request.params.id));
      return reply.status(200).send('');
    },
  );
}
