-- Foundation: accounts, users, agent bots, platform apps and the one token table they share.
-- Column names follow Chatwoot's schema so wire keys map 1:1 without renaming.

create table accounts (
  id                    bigserial primary key,
  name                  text not null,
  locale                text not null default 'en',
  domain                text,
  support_email         text,
  -- Chatwoot enum: 0 active, 1 suspended
  status                smallint not null default 0,
  -- feature name -> enabled; Chatwoot keeps a bit field, we keep the map it renders
  features              jsonb not null default '{}'::jsonb,
  limits                jsonb not null default '{}'::jsonb,
  custom_attributes     jsonb not null default '{}'::jsonb,
  settings              jsonb not null default '{}'::jsonb,
  auto_resolve_duration integer,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);

create table users (
  id                 bigserial primary key,
  name               text not null,
  display_name       text,
  email              text not null,
  encrypted_password text,
  provider           text not null default 'email',
  -- Chatwoot STI column: null for users, 'SuperAdmin' for installation admins
  type               text,
  pubsub_token       text not null unique,
  avatar_url         text,
  message_signature  text,
  ui_settings        jsonb not null default '{}'::jsonb,
  custom_attributes  jsonb not null default '{}'::jsonb,
  confirmed_at       timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table account_users (
  id           bigserial primary key,
  account_id   bigint not null references accounts (id) on delete cascade,
  user_id      bigint not null references users (id) on delete cascade,
  -- Chatwoot enum: 0 agent, 1 administrator
  role         smallint not null default 0,
  inviter_id   bigint references users (id) on delete set null,
  -- Chatwoot enum: 0 online, 1 offline, 2 busy
  availability smallint not null default 0,
  auto_offline boolean not null default true,
  active_at    timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (account_id, user_id)
);
create index account_users_user_id_idx on account_users (user_id);

create table agent_bots (
  id           bigserial primary key,
  -- nullable as in Chatwoot, which validates no bot name
  name         text,
  description  text,
  outgoing_url text,
  -- null: an installation-wide bot any account may use (Chatwoot's global bots)
  account_id   bigint references accounts (id) on delete cascade,
  -- Chatwoot enum: 0 webhook
  bot_type     smallint not null default 0,
  bot_config   jsonb not null default '{}'::jsonb,
  avatar_url   text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index agent_bots_account_id_idx on agent_bots (account_id);

create table platform_apps (
  id         bigserial primary key,
  name       text not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One table for the three owner kinds, as Chatwoot's polymorphic access_tokens.
-- Lookups go by the SHA-256 digest so the time a lookup takes says nothing about the token;
-- the clear token is kept because Chatwoot shows it back (profile, platform user JSON).
create table access_tokens (
  id           bigserial primary key,
  owner_type   text not null check (owner_type in ('User', 'AgentBot', 'PlatformApp')),
  owner_id     bigint not null,
  token        text not null,
  token_digest bytea not null unique,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (owner_type, owner_id)
);

create table platform_app_permissibles (
  id               bigserial primary key,
  platform_app_id  bigint not null references platform_apps (id) on delete cascade,
  permissible_type text not null check (permissible_type in ('Account', 'User', 'AgentBot')),
  permissible_id   bigint not null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (platform_app_id, permissible_type, permissible_id)
);
create index platform_app_permissibles_target_idx on platform_app_permissibles (permissible_type, permissible_id);

-- One-time sign-in links minted by GET /platform/api/v1/users/:id/login (Chatwoot keeps these
-- in Redis for 5 minutes); consumed by POST /auth/sign_in with sso_auth_token.
create table sso_auth_tokens (
  id           bigserial primary key,
  user_id      bigint not null references users (id) on delete cascade,
  token_digest bytea not null unique,
  expires_at   timestamptz not null,
  created_at   timestamptz not null default now()
);
create index sso_auth_tokens_user_id_idx on sso_auth_tokens (user_id);
