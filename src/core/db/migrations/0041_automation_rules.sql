-- Automation rules (Chatwoot's automation_rules table) and Confab's record of their runs.

create table automation_rules (
  id          bigserial primary key,
  account_id  bigint not null references accounts (id) on delete cascade,
  name        text not null,
  description text,
  -- conversation_created, conversation_updated, conversation_opened, conversation_resolved, message_created
  event_name  text not null,
  conditions  jsonb not null default '[]'::jsonb,
  actions     jsonb not null default '[]'::jsonb,
  active      boolean not null default true,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index automation_rules_account_id_idx on automation_rules (account_id, id);
-- the listener's question on every event (and the fast path's, on every text message): does the
-- account have an active rule for this event?
create index automation_rules_active_event_idx on automation_rules (account_id, event_name) where active;

-- One row per rule per event the rule was evaluated for (Confab extension, GET .../runs).
-- event_key names the causing event (the queued job's key); unique with the rule, so a retried
-- job never runs a rule twice for one event.
create table automation_rule_runs (
  id                 bigserial primary key,
  account_id         bigint not null references accounts (id) on delete cascade,
  automation_rule_id bigint not null references automation_rules (id) on delete cascade,
  conversation_id    bigint references conversations (id) on delete set null,
  message_id         bigint,
  event_name         text not null,
  event_key          text not null,
  matched            boolean not null,
  -- [{action_name, applied, error?}]
  actions            jsonb not null default '[]'::jsonb,
  error              text,
  created_at         timestamptz not null default now(),
  unique (automation_rule_id, event_key)
);
create index automation_rule_runs_rule_idx on automation_rule_runs (automation_rule_id, id desc);
create index automation_rule_runs_account_idx on automation_rule_runs (account_id);
create index automation_rule_runs_conversation_idx on automation_rule_runs (conversation_id);
