import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Database row types, kept by hand beside migrations/*.sql (snake_case as on the wire). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = Record<string, unknown>> = ColumnType<T, T | string | undefined, T | string>;

export interface AccountsTable {
  id: Generated<number>;
  name: string;
  locale: Generated<string>;
  domain: string | null;
  support_email: string | null;
  status: Generated<number>;
  features: Json<Record<string, boolean>>;
  limits: Json;
  custom_attributes: Json;
  settings: Json;
  auto_resolve_duration: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  display_name: string | null;
  email: string;
  encrypted_password: string | null;
  provider: Generated<string>;
  type: string | null;
  pubsub_token: string;
  avatar_url: string | null;
  message_signature: string | null;
  ui_settings: Json;
  custom_attributes: Json;
  confirmed_at: Date | string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountUsersTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  role: Generated<number>;
  inviter_id: number | null;
  availability: Generated<number>;
  auto_offline: Generated<boolean>;
  active_at: Date | string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgentBotsTable {
  id: Generated<number>;
  name: string | null;
  description: string | null;
  outgoing_url: string | null;
  account_id: number | null;
  bot_type: Generated<number>;
  bot_config: Json;
  avatar_url: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformAppsTable {
  id: Generated<number>;
  name: string;
  revoked_at: Date | string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type TokenOwnerType = 'User' | 'AgentBot' | 'PlatformApp';
export type PermissibleType = 'Account' | 'User' | 'AgentBot';

export interface AccessTokensTable {
  id: Generated<number>;
  owner_type: TokenOwnerType;
  owner_id: number;
  token: string;
  token_digest: Buffer;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformAppPermissiblesTable {
  id: Generated<number>;
  platform_app_id: number;
  permissible_type: PermissibleType;
  permissible_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SsoAuthTokensTable {
  id: Generated<number>;
  user_id: number;
  token_digest: Buffer;
  expires_at: Date | string;
  created_at: Timestamp;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  account_users: AccountUsersTable;
  agent_bots: AgentBotsTable;
  platform_apps: PlatformAppsTable;
  access_tokens: AccessTokensTable;
  platform_app_permissibles: PlatformAppPermissiblesTable;
  sso_auth_tokens: SsoAuthTokensTable;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type User = Selectable<UsersTable>;
export type AccountUser = Selectable<AccountUsersTable>;
export type AgentBot = Selectable<AgentBotsTable>;
export type PlatformApp = Selectable<PlatformAppsTable>;
