import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { Type } from 'typebox';
import { AccountSchema, CacheKeysSchema, accountJson } from '../../serializers/account.js';
import { cacheKeysFor, patchAccount, showAccount, touchActiveAt } from './app-service.js';
import { AccountUpdateBody } from './schemas.js';

const tags = ['accounts'];
const security = [{ userToken: [] }];

/** /api/v1/accounts/:id (Api::V1::AccountsController). */
export async function accountRoutes(app: App, deps: AppDeps) {
  const render = async (account: Awaited<ReturnType<typeof showAccount>>) =>
    accountJson(account, await cacheKeysFor(deps.db, account.id));

  app.get(
    '/accounts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show one of your accounts',
        params: IdParams,
        response: { 200: AccountSchema },
      },
    },
    async (request) => ({ ...(await render(await showAccount(deps.db, request))), latest_chatwoot_version: null }),
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/accounts/:id',
    schema: {
      tags,
      security,
      summary: 'Update the account (administrators)',
      params: IdParams,
      body: AccountUpdateBody,
      response: { 200: AccountSchema },
    },
    handler: async (request) => render(await patchAccount(deps.db, request, request.body)),
  });

  // AccountsController#cache_keys: any member; the dashboard polls it to refresh its label, inbox and team lists
  app.get(
    '/accounts/:id/cache_keys',
    {
      schema: {
        tags,
        security,
        summary: 'When the labels, inboxes and teams last changed',
        params: IdParams,
        response: { 200: Type.Object({ cache_keys: CacheKeysSchema }) },
      },
    },
    async (request, reply) => {
      const account = await showAccount(deps.db, request);
      reply.header('cache-control', 'private, max-age=10, stale-while-revalidate=300');
      return { cache_keys: await cacheKeysFor(deps.db, account.id) };
    },
  );

  app.post(
    '/accounts/:id/update_active_at',
    {
      schema: {
        tags,
        security,
        summary: 'Mark the account as used now',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await touchActiveAt(deps.db, request);
      return reply.status(200).send('');
    },
  );
}
