// Mirrors app/views/platform/api/v1/models/_user.json.jbuilder (Platform API) and
// app/views/api/v1/models/_user.json.jbuilder (GET /api/v1/profile, /auth/sign_in).
import { Type, type Static } from 'typebox';
import type { Account, AccountUser, User } from '../core/db/schema.js';
import { ACCOUNT_STATUSES, ACCOUNT_USER_ROLES, AVAILABILITIES, enumName } from '../core/db/enums.js';
import { isoTime } from './time.js';
import { availabilityStatus, availableName } from './agent.js';

/** A user with what its partials embed: its token and its account memberships, newest active first. */
export interface UserView {
  user: User;
  accessToken: string | null;
  memberships: Array<{ accountUser: AccountUser; account: Account; online?: boolean }>;
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Role = Type.Enum(ACCOUNT_USER_ROLES);
const Availability = Type.Enum(AVAILABILITIES);
const Attributes = Type.Record(Type.String(), Type.Unknown());

/**
 * Chatwoot's active_account_user: memberships ordered by active_at desc, nulls last
 * (then by creation, which is what PostgreSQL's row order gives Chatwoot in practice).
 */
function activeMembership(view: UserView) {
  return view.memberships[0];
}

/** Schema halves matching sharedKeys(): the profile partial puts `inviter_id` between them. */
const HeadProperties = {
  access_token: Nullable(Type.String()),
  account_id: Nullable(Type.Integer()),
  available_name: Type.String(),
  avatar_url: Type.String(),
  confirmed: Type.Boolean(),
  display_name: Nullable(Type.String()),
  message_signature: Nullable(Type.String()),
  email: Type.String(),
  id: Type.Integer(),
};
const TailProperties = {
  name: Type.String(),
  provider: Type.String(),
  pubsub_token: Type.String(),
  custom_attributes: Type.Optional(Attributes),
  role: Nullable(Role),
  ui_settings: Attributes,
  uid: Type.String(),
};

export const PlatformUserSchema = Type.Object(
  {
    ...HeadProperties,
    ...TailProperties,
    accounts: Type.Array(
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        active_at: Nullable(Type.String()),
        role: Role,
      }),
    ),
  },
  { title: 'PlatformUser' },
);

/** The keys both user partials share, split where the profile partial inserts `inviter_id`. */
function sharedKeys(view: UserView) {
  const { user } = view;
  const active = activeMembership(view);
  const head = {
    access_token: view.accessToken,
    account_id: active?.account.id ?? null,
    available_name: availableName(user),
    avatar_url: user.avatar_url ?? '',
    confirmed: user.confirmed_at !== null,
    display_name: user.display_name,
    message_signature: user.message_signature,
    email: user.email,
    id: user.id,
  };
  const tail = {
    name: user.name,
    provider: user.provider,
    pubsub_token: user.pubsub_token,
    // jbuilder: `if resource.custom_attributes.present?` — the key is absent when empty
    ...(Object.keys(user.custom_attributes).length ? { custom_attributes: user.custom_attributes } : {}),
    role: active ? enumName(ACCOUNT_USER_ROLES, active.accountUser.role) : null,
    ui_settings: user.ui_settings,
    uid: user.email,
  };
  return { head, tail, active };
}

export function platformUserJson(view: UserView): Static<typeof PlatformUserSchema> {
  const { head, tail } = sharedKeys(view);
  return {
    ...head,
    ...tail,
    accounts: view.memberships.map(({ accountUser, account }) => ({
      id: account.id,
      name: account.name,
      active_at: isoTime(accountUser.active_at),
      role: enumName(ACCOUNT_USER_ROLES, accountUser.role),
    })),
  };
}

export const ProfileSchema = Type.Object(
  {
    ...HeadProperties,
    inviter_id: Nullable(Type.Integer()),
    ...TailProperties,
    type: Nullable(Type.String()),
    accounts: Type.Array(
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        status: Type.Enum(ACCOUNT_STATUSES),
        active_at: Nullable(Type.String()),
        role: Role,
        permissions: Type.Array(Type.String()),
        availability: Availability,
        availability_status: Availability,
        auto_offline: Type.Boolean(),
      }),
    ),
  },
  { title: 'Profile' },
);

/**
 * `availability_status` is the live presence (OnlineStatusTracker); someone with no live
 * presence is "offline", as in Chatwoot.
 */
export function profileJson(view: UserView): Static<typeof ProfileSchema> {
  const { head, tail, active } = sharedKeys(view);
  return {
    ...head,
    inviter_id: active?.accountUser.inviter_id ?? null,
    ...tail,
    type: view.user.type,
    accounts: view.memberships.map(({ accountUser, account, online }) => {
      const role = enumName(ACCOUNT_USER_ROLES, accountUser.role);
      return {
        id: account.id,
        name: account.name,
        status: enumName(ACCOUNT_STATUSES, account.status),
        active_at: isoTime(accountUser.active_at),
        role,
        permissions: [role],
        availability: enumName(AVAILABILITIES, accountUser.availability),
        availability_status: availabilityStatus(accountUser, online),
        auto_offline: accountUser.auto_offline,
      };
    }),
  };
}
