import { Type } from 'typebox';
import { EmptyBody, ShortText, Url } from '../../core/http/schemas.js';
import { currentUser } from '../../core/http/auth.js';
import { AppError, notFound } from '../../core/errors.js';
import { createSession } from '../../core/tokens/sessions.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { authThrottles } from '../../core/http/auth-throttles.js';
import { ProfileSchema, profileJson } from '../../serializers/user.js';
import { loadUserView } from '../users/queries.js';
import { presentedSession } from '../../core/tokens/sessions.js';
import { signIn, signOut, validateToken } from './service.js';
import { RESET_REQUESTED, requestPasswordReset, resetPassword } from './passwords.js';
import { confirmByToken, resendConfirmation } from './confirmations.js';

const tags = ['auth'];
const Failure = Type.Object({ success: Type.Literal(false), errors: Type.Array(Type.String()) });
const SignInBody = Type.Object({
  email: Type.Optional(ShortText()),
  password: Type.Optional(ShortText()),
  sso_auth_token: Type.Optional(ShortText({ description: 'From GET /platform/api/v1/users/:id/login; one use' })),
});

const TokenFailure = Type.Object({ message: Type.String(), redirect_url: Type.String() });
const PasswordRequestBody = Type.Object({
  email: Type.Optional(ShortText()),
  redirect_url: Type.Optional(Url({ description: 'Accepted as Chatwoot does; the link in the mail is fixed' })),
});
const PasswordResetBody = Type.Object({
  reset_password_token: Type.Optional(ShortText({ description: 'From the link in the reset or invitation mail' })),
  password: Type.Optional(ShortText()),
  password_confirmation: Type.Optional(ShortText()),
});
const ConfirmationParams = Type.Object({
  confirmation_token: Type.Optional(ShortText({ description: 'From the link in the confirmation mail' })),
  redirect_url: Type.Optional(Url()),
});

/**
 * Where GET /auth/confirmation sends the browser (devise_token_auth's show): the redirect_url
 * asked for when it stays on the dashboard's origin (no open redirect), else the sign-in page,
 * with account_confirmation_success. Undefined: a failure with nowhere to go (Rails' 404).
 */
function confirmationRedirect(frontendUrl: string | undefined, requested: string | undefined, success: boolean) {
  const base = new URL(frontendUrl ?? 'http://confab.invalid');
  let target: URL | undefined;
  if (requested) {
    try {
      const url = new URL(requested, base);
      if (url.origin === base.origin) target = url;
    } catch {
      /* not a URL: ignored */
    }
  }
  if (!target) {
    if (!success) return undefined;
    target = new URL('/app/login', base);
  }
  target.searchParams.set('account_confirmation_success', String(success));
  return frontendUrl ? target.toString() : `${target.pathname}${target.search}`;
}

/**
 * devise_token_auth at /auth, as Chatwoot's dashboard and mobile app use it: the session travels
 * in the access-token, client, uid (and expiry, token-type) headers.
 */
export async function authRoutes(app: App, deps: AppDeps) {
  const throttles = authThrottles(deps);
  app.post(
    '/auth/sign_in',
    {
      preHandler: throttles.signIn,
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

  app.post(
    '/auth/password',
    {
      preHandler: throttles.passwordReset,
      schema: {
        tags,
        summary: 'Ask for a password reset mail; the same answer whether the address is known or not',
        body: PasswordRequestBody,
        response: { 200: Type.Object({ message: Type.String() }) },
      },
    },
    async (request) => {
      await requestPasswordReset(deps.db, request.body.email);
      return { message: RESET_REQUESTED };
    },
  );

  app.route({
    method: ['PUT', 'PATCH'],
    url: '/auth/password',
    schema: {
      tags,
      summary: 'Set a new password with the reset token of a mail; signs in (session headers)',
      body: PasswordResetBody,
      response: { 200: Type.Object({ data: ProfileSchema }), 422: TokenFailure },
    },
    handler: async (request, reply) => {
      const { user, headers } = await resetPassword(deps.db, request.body);
      reply.headers({ ...headers });
      return { data: profileJson(await loadUserView(deps.db, user)) };
    },
  });

  app.post(
    '/auth/confirmation',
    {
      schema: {
        tags,
        summary: 'Confirm an email address with the token of a confirmation mail; signs in (session headers)',
        body: ConfirmationParams,
        querystring: ConfirmationParams,
        response: { 200: Type.Object({ data: ProfileSchema }), 422: TokenFailure },
      },
    },
    async (request, reply) => {
      const token = request.body.confirmation_token ?? request.query.confirmation_token;
      const user = await confirmByToken(deps.db, token);
      reply.headers({ ...(await createSession(deps.db, user)) });
      return { data: profileJson(await loadUserView(deps.db, user)) };
    },
  );

  app.get(
    '/auth/confirmation',
    {
      schema: {
        tags,
        summary: 'The link of a confirmation mail: confirms, then redirects to the dashboard',
        querystring: ConfirmationParams,
      },
    },
    async (request, reply) => {
      let success = true;
      try {
        await confirmByToken(deps.db, request.query.confirmation_token);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error;
        success = false;
      }
      const location = confirmationRedirect(deps.config.frontendUrl, request.query.redirect_url, success);
      if (!location) throw notFound();
      return reply.redirect(location, 302);
    },
  );
}

/** POST /api/v1/profile/resend_confirmation (registered in the /api/v1 scope, behind user auth). */
export async function confirmationProfileRoutes(api: App, deps: AppDeps) {
  api.post(
    '/profile/resend_confirmation',
    {
      preHandler: authThrottles(deps).resendConfirmation,
      schema: {
        tags: ['profile'],
        security: [{ userToken: [] }],
        summary: 'Send the confirmation mail again, unless the address is confirmed',
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await resendConfirmation(deps.db, currentUser(request));
      return reply.status(200).send('');
    },
  );
}
