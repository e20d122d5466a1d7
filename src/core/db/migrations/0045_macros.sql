-- Macros (Chatwoot's Macro, app/models/macro.rb): named lists of actions an agent runs on
-- conversations. visibility is Chatwoot's enum (personal 0, global 1); created_by / updated_by
-- become null when the user is deleted, as Chatwoot's optional belongs_to leaves them.
create table macros (
  id            bigserial primary key,
  account_id    bigint not null references accounts (id) on delete cascade,
  name          text not null,
  visibility    smallint not null default 0,
  created_by_id bigint references users (id) on delete set null,
  updated_by_id bigint references users (id) on delete set null,
  -- [{ action_name, action_params }], as Chatwoot stores them
  actions       jsonb not null default '[]',
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index macros_account_id_idx on macros (account_id, id);
