import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { ProfileSchema, profileJson } from '../../serializers/user.js';
import { fieldsOf, ProfileBody } from './schemas.js';
import {
  getProfile,
  resetAccessToken,
  setActiveAccount,
  setAutoOffline,
  setAvailability,
  updateProfile,
} from './service.js';

const tags = ['profile'];
const security = [{ userToken: [] }];
const response = { 200: ProfileSchema };

/** /api/v1/profile: the signed-in user's own record (Api::V1::ProfilesController). */
export async function profileRoutes(app: App, deps: AppDeps) {
  app.get(
    '/profile',
    { schema: { tags, security, summary: 'The current user, with token and accounts', response } },
    async (request) => profileJson(await getProfile(deps.db, request)),
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/profile',
    schema: {
      tags,
      security,
      summary: 'Update name, email, signature, UI settings or password',
      body: ProfileBody,
      response,
    },
    handler: async (request) => profileJson(await updateProfile(deps.db, request, fieldsOf(request.body))),
  });

  app.post(
    '/profile/availability',
    { schema: { tags, security, summary: 'Set availability in one account', body: ProfileBody, response } },
    async (request) => profileJson(await setAvailability(deps.db, request, fieldsOf(request.body))),
  );

  app.post(
    '/profile/auto_offline',
    { schema: { tags, security, summary: 'Set auto-offline in one account', body: ProfileBody, response } },
    async (request) => profileJson(await setAutoOffline(deps.db, request, fieldsOf(request.body))),
  );

  app.put(
    '/profile/set_active_account',
    {
      schema: {
        tags,
        security,
        summary: 'Mark an account as the active one',
        body: ProfileBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await setActiveAccount(deps.db, request, fieldsOf(request.body));
      return reply.status(200).send('');
    },
  );

  app.post(
    '/profile/reset_access_token',
    { schema: { tags, security, summary: 'Issue a new access token', response } },
    async (request) => profileJson(await resetAccessToken(deps.db, request)),
  );
}
