import { randomBytes } from 'node:crypto';
import type { User } from '../../core/db/schema.js';
import { validationFailed } from '../../core/errors.js';
import type { UserView } from '../../serializers/user.js';
import { tokenDigest } from '../../core/tokens/secure-token.js';
import { deleteAccessTokens, issueAccessToken } from '../../core/tokens/access-tokens.js';
import { hashPassword } from '../../domains/users/password.js';
import {
  deleteUser,
  findUser,
  findUserByEmail,
  loadUserView,
  updateUser,
  userExists,
} from '../../domains/users/queries.js';
import { emailTaken, insertConfirmedUser, prepareUser } from '../../domains/users/create.js';
import { takenAs } from '../../core/db/unique.js';
import { userErrors } from '../../domains/users/validate.js';
import type { PlatformCtx } from '../apps/context.js';
import { assertPermitted, dropPermissibles, grantPermissible } from '../apps/permissibles.js';
import type { UserBody } from './schemas.js';

/** Chatwoot keeps SSO tokens in Redis for 5 minutes. */
const SSO_TOKEN_TTL_MS = 5 * 60 * 1000;

/**
 * POST /users. As in Chatwoot, an email that already exists adopts that user instead of
 * failing: it comes back unchanged (confirmed) and becomes permissible to the calling app.
 */
export async function createUser(ctx: PlatformCtx, body: UserBody): Promise<UserView> {
  const email = body.email?.trim() ?? '';
  const existing = email ? await findUserByEmail(ctx.db, email) : undefined;
  if (existing) {
    return ctx.db.transaction().execute(async (tx) => {
      const user = existing.confirmed_at ? existing : await updateUser(tx, existing.id, { confirmed_at: new Date() });
      await grantPermissible(tx, ctx.app.id, 'User', user.id);
      return loadUserView(tx, user);
    });
  }
  const input = { ...body, name: body.name ?? '', email };
  const { encrypted } = await prepareUser(input, { requirePassword: true });
  return ctx.db.transaction().execute(async (tx) => {
    const user = await insertConfirmedUser(tx, input, encrypted);
    await grantPermissible(tx, ctx.app.id, 'User', user.id);
    return loadUserView(tx, user);
  });
}

async function permittedUser(ctx: PlatformCtx, id: number | undefined): Promise<User> {
  const userId = await assertPermitted(ctx.db, ctx.app.id, 'User', id, (uid) => userExists(ctx.db, uid));
  return (await findUser(ctx.db, userId))!;
}

export async function getUser(ctx: PlatformCtx, id: number | undefined): Promise<UserView> {
  return loadUserView(ctx.db, await permittedUser(ctx, id));
}

/** PATCH /users/:id: custom_attributes are merged; an email change applies at once. */
export async function patchUser(ctx: PlatformCtx, id: number | undefined, body: UserBody): Promise<UserView> {
  const current = await permittedUser(ctx, id);
  const errors = userErrors(body, false);
  if (errors.length) throw validationFailed(errors);
  const email = body.email?.trim();
  if (email && email.toLowerCase() !== current.email.toLowerCase()) {
    const other = await findUserByEmail(ctx.db, email);
    if (other && other.id !== current.id) throw emailTaken();
  }
  const encrypted = body.password !== undefined ? await hashPassword(body.password) : undefined;
  return takenAs('email', () =>
    ctx.db.transaction().execute(async (tx) => {
      const user = await updateUser(tx, current.id, {
        ...(body.name !== undefined && { name: body.name.trim() }),
        ...(body.display_name !== undefined && { display_name: body.display_name }),
        ...(email && { email }),
        ...(encrypted && { encrypted_password: encrypted }),
        ...(body.custom_attributes && {
          custom_attributes: JSON.stringify({ ...current.custom_attributes, ...body.custom_attributes }),
        }),
      });
      return loadUserView(tx, user);
    }),
  );
}

/** DELETE /users/:id: the user, its memberships, token and grants go. */
export async function removeUser(ctx: PlatformCtx, id: number | undefined): Promise<void> {
  const user = await permittedUser(ctx, id);
  await ctx.db.transaction().execute(async (tx) => {
    await deleteAccessTokens(tx, 'User', [user.id]);
    await dropPermissibles(tx, 'User', user.id);
    await deleteUser(tx, user.id);
  });
}

/**
 * GET /users/:id/login: `FRONTEND_URL/app/login?email=…&sso_auth_token=<64 hex>`. The token is
 * stored as a digest, valid 5 minutes and once (consumed by POST /auth/sign_in).
 */
export async function createLoginLink(ctx: PlatformCtx, id: number | undefined): Promise<{ url: string }> {
  const user = await permittedUser(ctx, id);
  const token = randomBytes(32).toString('hex');
  await ctx.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sso_auth_tokens').where('expires_at', '<', new Date()).execute();
    await tx
      .insertInto('sso_auth_tokens')
      .values({
        user_id: user.id,
        token_digest: tokenDigest(token),
        expires_at: new Date(Date.now() + SSO_TOKEN_TTL_MS),
      })
      .execute();
  });
  const query = `email=${encodeURIComponent(user.email)}&sso_auth_token=${token}`;
  return { url: `${ctx.config.frontendUrl ?? `http://127.0.0.1:${ctx.config.port}`}/app/login?${query}` };
}

/** POST /users/:id/token (newer Chatwoot): the user's Application API token. */
export async function getUserToken(ctx: PlatformCtx, id: number | undefined) {
  const view = await getUser(ctx, id);
  const { user } = view;
  return {
    access_token: view.accessToken ?? (await issueAccessToken(ctx.db, 'User', user.id)),
    expiry: null,
    user: {
      id: user.id,
      name: user.name,
      display_name: user.display_name,
      email: user.email,
      pubsub_token: user.pubsub_token,
    },
  };
}
