import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { applicationAuth } from '../../core/http/auth.js';
import { ShortText } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { authThrottles } from '../../core/http/auth-throttles.js';
import { presentedSession } from '../../core/tokens/sessions.js';
import type { User } from '../../core/db/schema.js';
import { SignupSchema, signupJson } from '../../serializers/account-signup.js';
import { signUp } from './signup.js';

const SignupBody = Type.Object({
  account_name: Type.Optional(ShortText()),
  user_full_name: Type.Optional(ShortText()),
  email: Type.Optional(ShortText()),
  password: Type.Optional(ShortText()),
  locale: Type.Optional(ShortText({ description: 'e.g. en, pt_BR; anything else is en' })),
  h_captcha_client_response: Type.Optional(ShortText({ description: 'Accepted and ignored (no captcha set up)' })),
});

/**
 * The caller, when the request carries a valid token or session (the dashboard's "add account");
 * Chatwoot skips authentication for sign-up, so bad credentials make an anonymous sign-up.
 */
async function optionalUser(deps: AppDeps, request: FastifyRequest): Promise<User | undefined> {
  const hasCredentials =
    request.headers.api_access_token !== undefined ||
    request.headers['api-access-token'] !== undefined ||
    presentedSession(request.headers) !== undefined;
  if (!hasCredentials) return undefined;
  try {
    await applicationAuth(deps.db)(request);
  } catch {
    return undefined;
  }
  return request.actor?.kind === 'user' ? request.actor.user : undefined;
}

/** POST /api/v1/accounts: sign-up (Api::V1::AccountsController#create), outside the signed-in API. */
export async function signupRoutes(app: App, deps: AppDeps) {
  app.post(
    '/accounts',
    {
      preHandler: authThrottles(deps).signUp,
      schema: {
        tags: ['accounts'],
        summary:
          'Sign up: a new account and its administrator (ENABLE_ACCOUNT_SIGNUP or CW_API_ONLY_SERVER; 404 otherwise)',
        body: SignupBody,
        response: { 200: Type.Union([SignupSchema, Type.Object({ email: Type.String() })]) },
      },
    },
    async (request, reply) => {
      const result = await signUp(deps, request.body, await optionalUser(deps, request));
      if (result.kind === 'email') return { email: result.email };
      reply.headers({ ...result.headers });
      return signupJson(result.view, result.account);
    },
  );
}
