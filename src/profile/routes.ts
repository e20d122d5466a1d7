import { applicationAuth } from '../http/auth.js';
import type { App, AppDeps } from '../http/types.js';
import { ProfileSchema, profileJson } from '../serializers/user.js';
import { getProfile } from './service.js';

const tags = ['profile'];
const security = [{ userToken: [] }];

/** /api/v1/profile: the signed-in user's own record (Api::V1::ProfilesController). */
export async function profileRoutes(app: App, deps: AppDeps) {
  app.addHook('onRequest', applicationAuth(deps.db));
  app.get('/profile', {
    schema: { tags, security, summary: 'The current user, with token and accounts', response: { 200: ProfileSchema } },
  }, async (request) => profileJson(await getProfile(deps.db, request)));
}
