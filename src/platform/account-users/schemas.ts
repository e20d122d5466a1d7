import { Type, type Static } from 'typebox';
import { Id } from '../../core/http/schemas.js';
import { ACCOUNT_USER_ROLES } from '../../core/db/enums.js';

export const AccountIdParams = Type.Object({ account_id: Type.String({ description: 'Numeric account id' }) });

export const AccountUserBody = Type.Object({
  user_id: Type.Optional(Id({ description: 'Required' })),
  role: Type.Optional(Type.Enum(ACCOUNT_USER_ROLES, { description: 'Defaults to agent' })),
});
export type AccountUserBody = Static<typeof AccountUserBody>;

export const AccountUserDeleteBody = Type.Object({ user_id: Type.Optional(Id()) });
