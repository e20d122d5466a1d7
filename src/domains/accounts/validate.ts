import type { FieldError } from '../../core/errors.js';
import { isBlank, isEmail } from '../../core/http/values.js';

export interface AccountAttributes {
  name?: string;
  domain?: string | null;
  support_email?: string | null;
}

/** Account model validations (Chatwoot account.rb): name present, domain ≤ 100, support email well-formed. */
export function accountErrors(attrs: AccountAttributes, creating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if ((creating || attrs.name !== undefined) && isBlank(attrs.name))
    errors.push({ attribute: 'name', message: "can't be blank" });
  if (attrs.name && attrs.name.length > 255)
    errors.push({ attribute: 'name', message: 'is too long (maximum is 255 characters)' });
  if (attrs.domain && attrs.domain.length > 100)
    errors.push({ attribute: 'domain', message: 'is too long (maximum is 100 characters)' });
  if (attrs.support_email && !isEmail(attrs.support_email))
    errors.push({ attribute: 'support_email', message: 'is invalid' });
  return errors;
}
