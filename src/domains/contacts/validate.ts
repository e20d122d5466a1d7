import type { FieldError } from '../../core/errors.js';
import { isEmail } from '../../core/http/values.js';

/** E.164: a plus, then up to 15 digits, the first not zero (contact.rb). */
export const E164 = /^\+[1-9]\d{1,14}$/;

export interface ContactInput {
  name?: string | null;
  email?: string | null;
  phone_number?: string | null;
  identifier?: string | null;
}

/** Chatwoot's prepare_contact_attributes: trimmed, email lowercased, blanks stored as null. */
export function normaliseContactInput<T extends ContactInput>(input: T): T {
  const blankToNull = (value: string | null | undefined) =>
    value === undefined ? undefined : value === null || value.trim() === '' ? null : value.trim();
  const email = blankToNull(input.email);
  return {
    ...input,
    ...(input.email !== undefined && { email: email === null || email === undefined ? email : email.toLowerCase() }),
    ...(input.phone_number !== undefined && { phone_number: blankToNull(input.phone_number) }),
    ...(input.identifier !== undefined && { identifier: blankToNull(input.identifier) }),
    ...(input.name !== undefined && { name: input.name?.trim() ?? '' }),
  };
}

/** Format checks of contact.rb; uniqueness is checked against the database by the caller. */
export function contactErrors(input: ContactInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.name && input.name.length > 255)
    errors.push({ attribute: 'name', message: 'is too long (maximum is 255 characters)' });
  if (input.email && !isEmail(input.email)) errors.push({ attribute: 'email', message: 'Invalid email' });
  if (input.phone_number && !E164.test(input.phone_number))
    errors.push({ attribute: 'phone_number', message: 'should be in e164 format' });
  if (input.identifier && input.identifier.length > 255)
    errors.push({ attribute: 'identifier', message: 'is too long (maximum is 255 characters)' });
  return errors;
}

/** Which unique field a violated index belongs to. */
export function uniqueFieldOf(error: unknown): 'email' | 'phone_number' | 'identifier' | undefined {
  const constraint = (error as { constraint?: string })?.constraint ?? '';
  if (constraint.includes('email')) return 'email';
  if (constraint.includes('phone')) return 'phone_number';
  if (constraint.includes('identifier')) return 'identifier';
  return undefined;
}
