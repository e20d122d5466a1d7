// Mirrors app/views/api/v1/accounts/search/_agent.json.jbuilder: the assignee of a conversation
// result, with the role it holds in the account.
import { Type, type Static } from 'typebox';
import type { User } from '../core/db/schema.js';
import { ACCOUNT_USER_ROLES } from '../core/db/enums.js';

import { availableName } from './agent.js';

export const SearchAgentSchema = Type.Object(
  {
    id: Type.Integer(),
    available_name: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Type.Union([Type.Enum(ACCOUNT_USER_ROLES), Type.Null()]),
  },
  { title: 'SearchAgent' },
);

export interface SearchAgentView {
  user: User;
  role: (typeof ACCOUNT_USER_ROLES)[number] | null;
}

export function searchAgentJson({ user, role }: SearchAgentView): Static<typeof SearchAgentSchema> {
  return { id: user.id, available_name: availableName(user), email: user.email, name: user.name, role };
}
