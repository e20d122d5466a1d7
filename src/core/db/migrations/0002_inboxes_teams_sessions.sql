-- Application API part 1: API-channel inboxes, inbox members, teams, agent bot attachments,
-- and devise_token_auth-style sessions for POST /auth/sign_in.

create table channel_api (
  id                    bigserial primary key,
  account_id            bigint not null references accounts (id) on delete cascade,
  webhook_url           text,
  -- the public inbox identifier of the Client API (has_secure_token)
  identifier            text not null unique,
  hmac_token            text not null unique,
  hmac_mandatory        boolean not null default false,
  -- signs outgoing webhook deliveries for this inbox
  secret                text not null,
  additional_attributes jsonb not null default '{}'::jsonb,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);

create table inboxes (
  id                            bigserial primary key,
  account_id                    bigint not null references accounts (id) on delete cascade,
  channel_type                  text not null,
  channel_id                    bigint not null,
  name                          text not null,
  avatar_url                    text,
  greeting_enabled              boolean not null default false,
  greeting_message              text,
  enable_email_collect          boolean not null default true,
  csat_survey_enabled           boolean not null default false,
  csat_config                   jsonb not null default '{}'::jsonb,
  enable_auto_assignment        boolean not null default true,
  auto_assignment_config        jsonb not null default '{}'::jsonb,
  out_of_office_message         text,
  working_hours_enabled         boolean not null default false,
  timezone                      text not null default 'UTC',
  allow_messages_after_resolved boolean not null default true,
  lock_to_single_conversation   boolean not null default false,
  -- Chatwoot enum: 0 friendly, 1 professional
  sender_name_type              smallint not null default 0,
  business_name                 text,
  created_at                    timestamptz not null default now(),
  updated_at                    timestamptz not null default now(),
  unique (channel_type, channel_id)
);
create index inboxes_account_id_idx on inboxes (account_id);

create table working_hours (
  id             bigserial primary key,
  inbox_id       bigint not null references inboxes (id) on delete cascade,
  account_id     bigint not null references accounts (id) on delete cascade,
  day_of_week    smallint not null check (day_of_week between 0 and 6),
  closed_all_day boolean not null default false,
  open_hour      smallint,
  open_minutes   smallint,
  close_hour     smallint,
  close_minutes  smallint,
  open_all_day   boolean not null default false,
  unique (inbox_id, day_of_week)
);

create table inbox_members (
  id         bigserial primary key,
  inbox_id   bigint not null references inboxes (id) on delete cascade,
  user_id    bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (inbox_id, user_id)
);
create index inbox_members_user_id_idx on inbox_members (user_id);

create table teams (
  id                bigserial primary key,
  account_id        bigint not null references accounts (id) on delete cascade,
  name              text not null,
  description       text,
  allow_auto_assign boolean not null default true,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create unique index teams_account_id_name_key on teams (account_id, lower(name));

create table team_members (
  id         bigserial primary key,
  team_id    bigint not null references teams (id) on delete cascade,
  user_id    bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, user_id)
);
create index team_members_user_id_idx on team_members (user_id);

-- Which agent bot answers an inbox (one per inbox, as Chatwoot's has_one :agent_bot_inbox).
create table agent_bot_inboxes (
  id           bigserial primary key,
  inbox_id     bigint not null unique references inboxes (id) on delete cascade,
  agent_bot_id bigint not null references agent_bots (id) on delete cascade,
  account_id   bigint not null references accounts (id) on delete cascade,
  -- Chatwoot enum: 0 active, 1 inactive
  status       smallint not null default 0,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index agent_bot_inboxes_account_bot_idx on agent_bot_inboxes (account_id, agent_bot_id);

-- devise_token_auth sessions: one per (user, client); only digests of the tokens are kept.
create table user_sessions (
  id           bigserial primary key,
  user_id      bigint not null references users (id) on delete cascade,
  client       text not null,
  token_digest bytea not null,
  expires_at   timestamptz not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (user_id, client)
);
