-- Application API part 2: contacts, their inboxes, notes, labels (as taggings),
-- custom attribute definitions and CSV imports.

create table contacts (
  id                    bigserial primary key,
  account_id            bigint not null references accounts (id) on delete cascade,
  name                  text not null default '',
  middle_name           text,
  last_name             text,
  -- stored lowercase (Chatwoot downcases before save)
  email                 text,
  phone_number          text,
  identifier            text,
  avatar_url            text,
  location              text,
  country_code          text,
  blocked               boolean not null default false,
  -- Chatwoot enum: 0 visitor, 1 lead, 2 customer
  contact_type          smallint not null default 0,
  custom_attributes     jsonb not null default '{}'::jsonb,
  additional_attributes jsonb not null default '{}'::jsonb,
  last_activity_at      timestamptz,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create unique index contacts_account_email_key on contacts (account_id, email) where email is not null;
create unique index contacts_account_identifier_key on contacts (account_id, identifier) where identifier is not null;
create unique index contacts_account_phone_key on contacts (account_id, phone_number) where phone_number is not null;
-- list pages: the account's "resolved" contacts (with an email, phone or identifier), by the default sort
create index contacts_account_resolved_idx on contacts (account_id, last_activity_at desc nulls last, id)
  where email is not null or phone_number is not null or identifier is not null;
create index contacts_account_created_idx on contacts (account_id, created_at, id);
create index contacts_account_name_idx on contacts (account_id, lower(name), id);

create table contact_inboxes (
  id            bigserial primary key,
  contact_id    bigint not null references contacts (id) on delete cascade,
  inbox_id      bigint not null references inboxes (id) on delete cascade,
  -- the Client API's contact identifier
  source_id     text not null,
  hmac_verified boolean not null default false,
  pubsub_token  text not null unique,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (inbox_id, source_id)
);
create index contact_inboxes_contact_id_idx on contact_inboxes (contact_id);

create table notes (
  id         bigserial primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  contact_id bigint not null references contacts (id) on delete cascade,
  user_id    bigint references users (id) on delete set null,
  content    text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notes_contact_id_idx on notes (contact_id);

create table labels (
  id              bigserial primary key,
  account_id      bigint not null references accounts (id) on delete cascade,
  title           text not null,
  description     text,
  color           text not null default '#1f93ff',
  show_on_sidebar boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (account_id, title)
);

-- Labels on contacts and conversations are tag names, as acts_as_taggable_on keeps them in Chatwoot.
create table taggings (
  id            bigserial primary key,
  account_id    bigint not null references accounts (id) on delete cascade,
  taggable_type text not null check (taggable_type in ('Contact', 'Conversation')),
  taggable_id   bigint not null,
  name          text not null,
  created_at    timestamptz not null default now(),
  unique (taggable_type, taggable_id, name)
);
create index taggings_account_name_idx on taggings (account_id, taggable_type, name);

create table custom_attribute_definitions (
  id                     bigserial primary key,
  account_id             bigint not null references accounts (id) on delete cascade,
  attribute_display_name text not null,
  attribute_key          text not null,
  -- Chatwoot enums: display type 0 text, 1 number, 2 currency, 3 percent, 4 link, 5 date, 6 list, 7 checkbox;
  -- model 0 conversation_attribute, 1 contact_attribute
  attribute_display_type smallint not null default 0,
  attribute_model        smallint not null default 0,
  attribute_description  text,
  attribute_values       jsonb not null default '[]'::jsonb,
  default_value          text,
  regex_pattern          text,
  regex_cue              text,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  unique (account_id, attribute_model, attribute_key)
);

create table data_imports (
  id             bigserial primary key,
  account_id     bigint not null references accounts (id) on delete cascade,
  data_type      text not null default 'contacts',
  -- 0 pending, 1 processing, 2 completed, 3 failed
  status         smallint not null default 0,
  total_records  integer not null default 0,
  processed_records integer not null default 0,
  failed_records jsonb not null default '[]'::jsonb,
  file_path      text,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);

-- Substring search over name, email, phone and identifier. pg_trgm ships with PostgreSQL's contrib
-- (and with the embedded binaries); where it is missing, search still works, by scanning.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
    create extension if not exists pg_trgm;
    create index contacts_search_trgm_idx on contacts using gin (
      (coalesce(name, '') || chr(31) || coalesce(email, '') || chr(31) || coalesce(phone_number, '') || chr(31) || coalesce(identifier, ''))
      gin_trgm_ops
    );
  end if;
end
$$;

-- Uploaded CSVs wait here for the import job, so any node's worker can read them.
create table data_import_chunks (
  data_import_id bigint not null references data_imports (id) on delete cascade,
  seq            integer not null,
  data           bytea not null,
  primary key (data_import_id, seq)
);
