import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../../core/errors.js';

/** argon2id with the library's defaults; only the hash is ever stored. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(encrypted: string | null, password: string): Promise<boolean> {
  if (!encrypted) return false;
  try {
    return await verify(encrypted, password);
  } catch {
    return false;
  }
}

/**
 * Devise length (6..128) plus the complexity Chatwoot enforces with devise-secure_password:
 * at least one uppercase, one lowercase, one digit and one special character.
 */
export function passwordErrors(password: string): FieldError[] {
  const errors: FieldError[] = [];
  if (password.length < 6) errors.push({ attribute: 'password', message: 'is too short (minimum is 6 characters)' });
  if (password.length > 128) errors.push({ attribute: 'password', message: 'is too long (maximum is 128 characters)' });
  if (!/[A-Z]/.test(password))
    errors.push({ attribute: 'password', message: 'must contain at least 1 uppercase letter' });
  if (!/[a-z]/.test(password))
    errors.push({ attribute: 'password', message: 'must contain at least 1 lowercase letter' });
  if (!/[0-9]/.test(password)) errors.push({ attribute: 'password', message: 'must contain at least 1 number' });
  if (!/[^A-Za-z0-9]/.test(password))
    errors.push({ attribute: 'password', message: 'must contain at least 1 special character' });
  return errors;
}
