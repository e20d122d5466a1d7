-- Application API: canned responses (account-wide) and custom filters (saved views, per user per account).

create table canned_responses (
  id         bigserial primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  short_code text not null,
  content    text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- canned_response.rb: validates :short_code, uniqueness: { scope: :account_id } (case-sensitive, as Rails' default)
  unique (account_id, short_code)
);

create table custom_filters (
  id          bigserial primary key,
  account_id  bigint not null references accounts (id) on delete cascade,
  user_id     bigint not null references users (id) on delete cascade,
  name        text not null,
  -- Chatwoot enum: 0 conversation, 1 contact, 2 report
  filter_type smallint not null default 0,
  -- Chatwoot's migration declares `default: '{}'` on a jsonb column, which Rails stores as the
  -- JSON *string* "{}" (db/schema.rb: default: "{}"); a filter saved without a query renders that.
  query       jsonb not null default '"{}"'::jsonb,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
-- index: the caller's filters of one type; the per-user limit counts (account_id, user_id)
create index custom_filters_account_user_type_idx on custom_filters (account_id, user_id, filter_type, id);
create index custom_filters_user_id_idx on custom_filters (user_id);
