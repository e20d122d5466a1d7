import type { Db } from '../../core/db/kysely.js';
import type { User } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { tokenDigest } from '../../core/tokens/secure-token.js';
import { verifyPassword } from '../users/password.js';
import { findUserByEmail } from '../users/queries.js';
import {
  createSession,
  deleteSession,
  findSessionUser,
  type PresentedSession,
  type SessionHeaders,
} from '../../core/tokens/sessions.js';

/** devise_token_auth's failure bodies carry `success: false` and an `errors` array. */
const authFailure = (status: number, message: string) =>
  new AppError('invalid_access_token', status, { success: false, errors: [message] });

export interface SignInInput {
  email?: string;
  password?: string;
  sso_auth_token?: string;
}

/** Consumes a one-time link token from GET /platform/api/v1/users/:id/login. */
async function consumeSsoToken(db: Db, user: User, token: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('sso_auth_tokens')
    .where('user_id', '=', user.id)
    .where('token_digest', '=', tokenDigest(token))
    .where('expires_at', '>', new Date())
    .returning('id')
    .executeTakeFirst();
  return deleted !== undefined;
}

/** POST /auth/sign_in: email + password, or email + sso_auth_token (one use, 5 minutes). */
export async function signIn(db: Db, input: SignInInput): Promise<{ user: User; headers: SessionHeaders }> {
  const user = input.email ? await findUserByEmail(db, input.email) : undefined;
  let valid = false;
  if (user && input.sso_auth_token) valid = await consumeSsoToken(db, user, input.sso_auth_token);
  else if (user && input.password) valid = await verifyPassword(user.encrypted_password, input.password);
  if (!user || !valid) throw authFailure(401, 'Invalid login credentials. Please try again.');
  if (!user.confirmed_at) {
    throw authFailure(
      401,
      `A confirmation email was sent to your account at '${user.email}'. You must follow the instructions in the email before your account can be activated`,
    );
  }
  return { user, headers: await createSession(db, user) };
}

/** GET /auth/validate_token. */
export async function validateToken(db: Db, presented: PresentedSession | undefined): Promise<User> {
  const found = presented ? await findSessionUser(db, presented) : undefined;
  if (!found) throw authFailure(401, 'Invalid login credentials');
  return found.user;
}

/** DELETE /auth/sign_out: forgets this client's session. */
export async function signOut(db: Db, presented: PresentedSession | undefined): Promise<void> {
  const found = presented ? await findSessionUser(db, presented) : undefined;
  if (!found) throw authFailure(404, 'User was not found or was not logged in.');
  await deleteSession(db, found.sessionId);
}
