import type { FieldError } from '../../core/errors.js';
import { isBlank, isEmail } from '../../core/http/values.js';
import { passwordErrors } from './password.js';

export interface UserAttributes {
  name?: string;
  display_name?: string | null;
  email?: string;
  password?: string;
}

/** User model validations: name 1..255, email present and well-formed, password policy. */
export function userErrors(attrs: UserAttributes, creating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if ((creating || attrs.name !== undefined) && isBlank(attrs.name))
    errors.push({ attribute: 'name', message: "can't be blank" });
  if (attrs.name && attrs.name.length > 255)
    errors.push({ attribute: 'name', message: 'is too long (maximum is 255 characters)' });
  if (creating || attrs.email !== undefined) {
    if (isBlank(attrs.email)) errors.push({ attribute: 'email', message: "can't be blank" });
    else if (!isEmail(attrs.email!.trim())) errors.push({ attribute: 'email', message: 'is invalid' });
  }
  if (creating && isBlank(attrs.password)) errors.push({ attribute: 'password', message: "can't be blank" });
  else if (attrs.password !== undefined) errors.push(...passwordErrors(attrs.password));
  return errors;
}
