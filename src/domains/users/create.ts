import type { Db } from '../../core/db/kysely.js';
import type { User } from '../../core/db/schema.js';
import { validationFailed } from '../../core/errors.js';
import { takenAs } from '../../core/db/unique.js';
import { generateSecureToken } from '../../core/tokens/secure-token.js';
import { issueAccessToken } from '../../core/tokens/access-tokens.js';
import { hashPassword } from './password.js';
import { insertUser } from './queries.js';
import { userErrors } from './validate.js';

export interface NewUserInput {
  name: string;
  email: string;
  /** Absent for invited agents, who set one through the sign-in link. */
  password?: string;
  display_name?: string | null;
  custom_attributes?: Record<string, unknown>;
  type?: 'SuperAdmin' | null;
}

export const emailTaken = () => validationFailed([{ attribute: 'email', message: 'has already been taken' }]);

/**
 * Validates and inserts a confirmed user with its pubsub token and access token (Chatwoot's
 * User create + AccessTokenable). Call inside the caller's transaction; hash before it.
 */
export async function prepareUser(input: NewUserInput, options: { requirePassword: boolean }) {
  const errors = userErrors(input, true).filter(
    (e) => options.requirePassword || !(e.attribute === 'password' && input.password === undefined),
  );
  if (errors.length) throw validationFailed(errors);
  return { encrypted: input.password === undefined ? null : await hashPassword(input.password) };
}

export async function insertConfirmedUser(
  tx: Db,
  input: NewUserInput,
  encrypted: string | null,
  options: { confirmed?: boolean } = {},
): Promise<User> {
  // a concurrent create with the same email answers like Rails' uniqueness validation
  return takenAs('email', async () => {
    const user = await insertUser(tx, {
      name: input.name.trim(),
      display_name: input.display_name ?? null,
      email: input.email.trim(),
      encrypted_password: encrypted,
      pubsub_token: generateSecureToken(),
      custom_attributes: JSON.stringify(input.custom_attributes ?? {}),
      type: input.type ?? null,
      // invited agents confirm by setting their password from the invitation mail
      confirmed_at: options.confirmed === false ? null : new Date(),
    });
    await issueAccessToken(tx, 'User', user.id);
    return user;
  });
}
