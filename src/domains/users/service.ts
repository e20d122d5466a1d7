import type { FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/kysely.js';
import type { User } from '../../core/db/schema.js';
import { AppError, recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { currentUser } from '../../core/http/auth.js';
import { AVAILABILITIES, enumValue } from '../../core/db/enums.js';
import type { UserView } from '../../serializers/user.js';
import { issueAccessToken } from '../../core/tokens/access-tokens.js';
import { deleteOtherSessions, presentedSession } from '../../core/tokens/sessions.js';
import { hashPassword, verifyPassword } from './password.js';
import { findUserByEmail, loadUserView, updateUser } from './queries.js';
import { emailTaken } from './create.js';
import { takenAs } from '../../core/db/unique.js';
import { userErrors } from './validate.js';
import type { ProfileFields } from './schemas.js';

export async function getProfile(db: Db, request: FastifyRequest): Promise<UserView> {
  return loadUserView(db, currentUser(request));
}

/** PATCH /api/v1/profile: profile fields, and a password change guarded by current_password. */
export async function updateProfile(db: Db, request: FastifyRequest, fields: ProfileFields): Promise<UserView> {
  const user = currentUser(request);
  const errors: FieldError[] = userErrors({ name: fields.name, email: fields.email }, false);
  const changingPassword = Boolean(fields.password);
  if (changingPassword) {
    if (!(await verifyPassword(user.encrypted_password, fields.current_password ?? ''))) {
      throw new AppError('unprocessable', 422, { error: 'Invalid current password' });
    }
    errors.push(...userErrors({ password: fields.password }, false));
    if (fields.password_confirmation !== undefined && fields.password_confirmation !== fields.password) {
      errors.push({ attribute: 'password_confirmation', message: "doesn't match Password" });
    }
  }
  if (errors.length) throw validationFailed(errors);
  const email = fields.email?.trim();
  if (email && email.toLowerCase() !== user.email.toLowerCase()) {
    const other = await findUserByEmail(db, email);
    if (other && other.id !== user.id) throw emailTaken();
  }
  const encrypted = changingPassword ? await hashPassword(fields.password!) : undefined;
  const updated = await takenAs('email', () =>
    db.transaction().execute(async (tx) => {
      const row = await updateUser(tx, user.id, {
        ...(fields.name !== undefined && { name: fields.name.trim() }),
        ...(fields.display_name !== undefined && { display_name: fields.display_name }),
        ...(email && { email }),
        ...(fields.message_signature !== undefined && { message_signature: fields.message_signature }),
        ...(fields.ui_settings !== undefined && { ui_settings: JSON.stringify(fields.ui_settings) }),
        ...(fields.phone_number !== undefined && {
          custom_attributes: JSON.stringify({ ...user.custom_attributes, phone_number: fields.phone_number }),
        }),
        ...(encrypted && { encrypted_password: encrypted }),
      });
      // devise's remove_tokens_after_password_reset: other devices must sign in again
      if (encrypted) await deleteOtherSessions(tx, user.id, presentedSession(request.headers)?.client);
      return row;
    }),
  );
  return loadUserView(db, updated);
}

async function updateOwnMembership(
  db: Db,
  user: User,
  accountId: number | undefined,
  values: { availability?: number; auto_offline?: boolean; active_at?: Date },
) {
  if (accountId === undefined) throw recordNotFound();
  const row = await db
    .updateTable('account_users')
    .set({ ...values, updated_at: new Date() })
    .where('user_id', '=', user.id)
    .where('account_id', '=', accountId)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw recordNotFound();
}

/** POST /api/v1/profile/availability: {profile: {account_id, availability}}. */
export async function setAvailability(db: Db, request: FastifyRequest, fields: ProfileFields): Promise<UserView> {
  const user = currentUser(request);
  if (!fields.availability)
    throw validationFailed([{ attribute: 'availability', message: 'is not included in the list' }]);
  await updateOwnMembership(db, user, fields.account_id, {
    availability: enumValue(AVAILABILITIES, fields.availability),
  });
  return loadUserView(db, user);
}

/** POST /api/v1/profile/auto_offline: a missing flag means false, as in Chatwoot. */
export async function setAutoOffline(db: Db, request: FastifyRequest, fields: ProfileFields): Promise<UserView> {
  const user = currentUser(request);
  await updateOwnMembership(db, user, fields.account_id, { auto_offline: fields.auto_offline ?? false });
  return loadUserView(db, user);
}

/** PUT /api/v1/profile/set_active_account: the account the user lands in next. */
export async function setActiveAccount(db: Db, request: FastifyRequest, fields: ProfileFields): Promise<void> {
  await updateOwnMembership(db, currentUser(request), fields.account_id, { active_at: new Date() });
}

/** POST /api/v1/profile/reset_access_token: a new token; the old one stops working at once. */
export async function resetAccessToken(db: Db, request: FastifyRequest): Promise<UserView> {
  const user = currentUser(request);
  await issueAccessToken(db, 'User', user.id);
  return loadUserView(db, user);
}
