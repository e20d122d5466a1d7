import { Type } from 'typebox';
import { ShortText } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { ProfileSchema, profileJson } from '../../serializers/user.js';
import { loadUserView } from '../users/queries.js';
import { presentedSession } from '../../core/tokens/sessions.js';
import { signIn, signOut, validateToken } from './service.js';

const tags = ['auth'];
const Failure = Type.Object({ success: Type.Literal(false), errors: Type.Array(Type.String()) });
const SignInBody = Type.Object({
  email: Type.Optional(ShortText()),
  password: Type.Optional(ShortText()),
  sso_auth_token: Type.Optional(ShortText({ description: 'From GET /platform/api/v1/users/:id/login; one use' })),
});

/**
 * devise_token_auth at /auth, as Chatwoot's dashboard and mobile app use it: the session travels
 * in the access-token, client, uid (and expiry, token-type) headers.
 */
export async function authRoutes(app: App, deps: AppDeps) {
  app.post(
    '/auth/sign_in',
    {
      schema: {
        tags,
        summary: 'Sign in; the session comes back in access-token, client, uid, expiry and token-type headers',
        body: SignInBody,
        response: { 200: Type.Object({ data: ProfileSchema }), 401: Failure },
      },
    },
    async (request, reply) => {
      const { user, headers } = await signIn(deps.db, request.body);
      reply.headers({ ...headers });
      return { data: profileJson(await loadUserView(deps.db, user)) };
    },
  );

  app.get(
    '/auth/validate_token',
    {
      schema: {
        tags,
        summary: 'Check session headers',
        response: {
          200: Type.Object({ payload: Type.Object({ success: Type.Literal(true), data: ProfileSchema }) }),
          401: Failure,
        },
      },
    },
    async (request) => {
      const user = await validateToken(deps.db, presentedSession(request.headers));
      return { payload: { success: true as const, data: profileJson(await loadUserView(deps.db, user)) } };
    },
  );

  app.delete(
    '/auth/sign_out',
    {
      schema: {
        tags,
        summary: 'End the session of these headers',
        response: { 200: Type.Object({ success: Type.Literal(true) }), 404: Failure },
      },
    },
    async (request) => {
      await signOut(deps.db, presentedSession(request.headers));
      return { success: true as const };
    },
  );
}
