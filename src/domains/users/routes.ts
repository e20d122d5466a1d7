import { readAvatarForm } from '../../core/http/avatar-upload.js';
import { currentUser } from '../../core/http/auth.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { attachAvatar, removeAvatar } from '../../core/storage/avatars.js';
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
      summary: 'Update name, email, signature, UI settings or password; multipart with profile[avatar] sets the avatar',
      consumes: ['application/json', 'multipart/form-data'],
      body: ProfileBody,
      response,
    },
    preValidation: readAvatarForm,
    handler: async (request) => {
      const view = await updateProfile(deps.db, request, fieldsOf(request.body));
      if (!request.avatarFile) return profileJson(view);
      const target = { owner: 'users', id: view.user.id, accountId: null } as const;
      const avatar = await attachAvatar(deps.db, deps.storage, target, request.avatarFile);
      return profileJson({ ...view, user: { ...view.user, ...avatar } });
    },
  });

  app.delete(
    '/profile/avatar',
    { schema: { tags, security, summary: "Remove the current user's avatar", response } },
    async (request) => {
      const user = currentUser(request);
      await removeAvatar(deps.db, deps.storage, { owner: 'users', id: user.id, accountId: null });
      const view = await getProfile(deps.db, request);
      return profileJson({ ...view, user: { ...view.user, avatar_url: null, avatar_blob_id: null } });
    },
  );

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
