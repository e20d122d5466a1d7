import type { Db } from '../../core/db/kysely.js';
import type { User } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { findUserAuthToken, markUserAuthTokenUsed } from '../../core/tokens/user-auth-tokens.js';
import { queueAuthMail } from '../auth-mail/queue.js';
import { invalidToken } from './passwords.js';

const confirmationError = (message: string) => new AppError('unprocessable', 422, { message, redirect_url: '/' });

/**
 * Confirms the user a confirmation token names (DeviseOverrides::ConfirmationsController#create):
 * an unknown token is "Invalid token"; a used one, or one of a user confirmed since, "Already
 * confirmed"; an expired one "Failure", devise's answer when confirm fails.
 */
export async function confirmByToken(db: Db, token: string | undefined): Promise<User> {
  return db.transaction().execute(async (tx) => {
    const found = await findUserAuthToken(tx, token ?? '', 'confirmation');
    if (!found) throw invalidToken();
    const user = await tx.selectFrom('users').selectAll().where('id', '=', found.userId).executeTakeFirstOrThrow();
    if (found.used || user.confirmed_at) throw confirmationError('Already confirmed');
    if (found.expired) throw confirmationError('Failure');
    await markUserAuthTokenUsed(tx, found.id);
    return tx
      .updateTable('users')
      .set({ confirmed_at: new Date(), updated_at: new Date() })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** POST /api/v1/profile/resend_confirmation: the confirmation mail again, unless already confirmed. */
export async function resendConfirmation(db: Db, user: User): Promise<void> {
  if (!user.confirmed_at) await queueAuthMail(db, 'confirmation_instructions', user.id);
}
