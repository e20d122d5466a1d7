import { EmptyBody } from '../../core/http/schemas.js';
import { Type } from 'typebox';
import { parseId } from '../../core/http/ids.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AccountUserRowSchema, accountUserRowJson } from '../../serializers/account-user.js';
import { platformCtx } from '../apps/context.js';
import { PLATFORM_ERRORS } from '../apps/errors-schema.js';
import { AccountIdParams, AccountUserBody, AccountUserDeleteBody } from './schemas.js';
import { addMember, listMembers, removeMember } from './service.js';

const tags = ['platform: account users'];
const security = [{ platformAppToken: [] }];
const url = '/accounts/:account_id/account_users';

export async function platformAccountUserRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: "List an account's users",
        params: AccountIdParams,
        response: { 200: Type.Array(AccountUserRowSchema), ...PLATFORM_ERRORS },
      },
    },
    async (request) =>
      (await listMembers(platformCtx(request, deps), parseId(request.params.account_id))).map(accountUserRowJson),
  );

  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Add a user to an account, or change their role',
        params: AccountIdParams,
        body: AccountUserBody,
        response: { 200: AccountUserRowSchema, ...PLATFORM_ERRORS },
      },
    },
    async (request) =>
      accountUserRowJson(await addMember(platformCtx(request, deps), parseId(request.params.account_id), request.body)),
  );

  app.delete(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Remove a user from an account (user_id in body or query; 200, empty body)',
        params: AccountIdParams,
        body: AccountUserDeleteBody,
        querystring: AccountUserDeleteBody,
        response: { 200: EmptyBody, ...PLATFORM_ERRORS },
      },
    },
    async (request, reply) => {
      const userId = request.body.user_id ?? request.query.user_id;
      await removeMember(platformCtx(request, deps), parseId(request.params.account_id), userId);
      return reply.status(200).send('');
    },
  );
}
