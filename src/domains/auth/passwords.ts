import type { Db } from '../../core/db/kysely.js';
import type { User } from '../../core/db/schema.js';
import { AppError, validationFailed, type FieldError } from '../../core/errors.js';
import { createSession, deleteOtherSessions, type SessionHeaders } from '../../core/tokens/sessions.js';
import { deleteUserAuthTokens, findUserAuthToken } from '../../core/tokens/user-auth-tokens.js';
import { queueAuthMail } from '../auth-mail/queue.js';
import { hashPassword } from '../users/password.js';
import { findUserByEmail } from '../users/queries.js';
import { userErrors } from '../users/validate.js';

/** Chatwoot's messages.reset_password: the same answer whether the address is known or not. */
export const RESET_REQUESTED =
  'Request for password reset is successful. A email with instructions will be sent to your email if it exists.';

/** DeviseOverrides::PasswordsController's answer for an unknown, used or expired token. */
export const invalidToken = () => new AppError('unprocessable', 422, { message: 'Invalid token', redirect_url: '/' });

/** POST /auth/password: queues the reset mail when the address belongs to a user; says nothing either way. */
export async function requestPasswordReset(db: Db, email: string | undefined): Promise<void> {
  const user = email?.trim() ? await findUserByEmail(db, email) : undefined;
  if (user) await queueAuthMail(db, 'reset_password_instructions', user.id);
}

export interface ResetPasswordInput {
  reset_password_token?: string;
  password?: string;
  password_confirmation?: string;
}

/**
 * PUT /auth/password: a valid reset token sets the password, confirms an unconfirmed user (an
 * invited agent), spends the user's reset and confirmation tokens and signs every device out
 * (remove_tokens_after_password_reset); the caller is signed in on a new session. A bad password
 * is a 422 that spends nothing.
 */
export async function resetPassword(
  db: Db,
  input: ResetPasswordInput,
): Promise<{ user: User; headers: SessionHeaders }> {
  const token = input.reset_password_token ?? '';
  const found = await findUserAuthToken(db, token, 'reset_password');
  if (!found || found.expired) throw invalidToken();
  const password = input.password ?? '';
  const errors: FieldError[] = password
    ? userErrors({ password }, false)
    : [{ attribute: 'password', message: "can't be blank" }];
  if (input.password_confirmation !== undefined && input.password_confirmation !== password) {
    errors.push({ attribute: 'password_confirmation', message: "doesn't match Password" });
  }
  if (errors.length) throw validationFailed(errors);
  const encrypted = await hashPassword(password);
  const user = await db.transaction().execute(async (tx) => {
    // again under a row lock: of two requests with one token, only one gets here
    const locked = await findUserAuthToken(tx, token, 'reset_password');
    if (!locked || locked.expired || locked.id !== found.id) throw invalidToken();
    await deleteUserAuthTokens(tx, locked.userId, ['reset_password', 'confirmation']);
    await deleteOtherSessions(tx, locked.userId);
    return tx
      .updateTable('users')
      .set((eb) => ({
        encrypted_password: encrypted,
        confirmed_at: eb.fn.coalesce('confirmed_at', eb.val(new Date())),
        updated_at: new Date(),
      }))
      .where('id', '=', locked.userId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return { user, headers: await createSession(db, user) };
}
