// Mirrors app/views/api/v1/accounts/create.json.jbuilder (POST /api/v1/accounts, a sign-up).
import { Type, type Static } from 'typebox';
import type { Account } from '../core/db/schema.js';
import { ACCOUNT_USER_ROLES, enumName } from '../core/db/enums.js';
import { isoTime } from './time.js';
import type { UserView } from './user.js';

const Role = Type.Enum(ACCOUNT_USER_ROLES);

export const SignupSchema = Type.Object(
  {
    data: Type.Object({
      id: Type.Integer(),
      provider: Type.String(),
      uid: Type.String(),
      name: Type.String(),
      display_name: Type.Union([Type.String(), Type.Null()]),
      email: Type.String(),
      account_id: Type.Integer(),
      created_at: Type.Union([Type.String(), Type.Null()]),
      pubsub_token: Type.String(),
      role: Type.Union([Role, Type.Null()]),
      inviter_id: Type.Union([Type.Integer(), Type.Null()]),
      confirmed: Type.Boolean(),
      avatar_url: Type.String(),
      access_token: Type.Union([Type.String(), Type.Null()]),
      accounts: Type.Array(
        Type.Object({
          id: Type.Integer(),
          name: Type.String(),
          active_at: Type.Union([Type.String(), Type.Null()]),
          role: Role,
          locale: Type.String(),
        }),
      ),
    }),
  },
  { title: 'Signup' },
);

/** The new (or signed-in) user and the account just made; `role` is the active membership's. */
export function signupJson(view: UserView, account: Account): Static<typeof SignupSchema> {
  const { user } = view;
  const active = view.memberships[0]?.accountUser;
  return {
    data: {
      id: user.id,
      provider: user.provider,
      uid: user.email,
      name: user.name,
      display_name: user.display_name,
      email: user.email,
      account_id: account.id,
      created_at: isoTime(user.created_at),
      pubsub_token: user.pubsub_token,
      role: active ? enumName(ACCOUNT_USER_ROLES, active.role) : null,
      inviter_id: active?.inviter_id ?? null,
      confirmed: user.confirmed_at !== null,
      avatar_url: user.avatar_url ?? '',
      access_token: view.accessToken,
      accounts: view.memberships.map(({ accountUser, account: a }) => ({
        id: a.id,
        name: a.name,
        active_at: isoTime(accountUser.active_at),
        role: enumName(ACCOUNT_USER_ROLES, accountUser.role),
        locale: a.locale,
      })),
    },
  };
}
