-- SLA policies (enterprise SlaPolicy, AppliedSla, SlaEvent). A conversation gets one policy, once:
-- an applied_slas row follows it, and each missed target writes an sla_events row.
create table sla_policies (
  id                            bigserial primary key,
  account_id                    bigint not null references accounts (id) on delete cascade,
  name                          text not null check (char_length(name) between 1 and 255),
  description                   text check (char_length(description) <= 255),
  -- seconds, as Chatwoot's float columns; null: no target of that kind
  first_response_time_threshold double precision check (first_response_time_threshold >= 0),
  next_response_time_threshold  double precision check (next_response_time_threshold >= 0),
  resolution_time_threshold     double precision check (resolution_time_threshold >= 0),
  only_during_business_hours    boolean not null default false,
  created_at                    timestamptz not null default now(),
  updated_at                    timestamptz not null default now()
);
create index sla_policies_account on sla_policies (account_id, id);

-- SlaPolicy has_many :conversations, dependent: :nullify
alter table conversations
  add constraint conversations_sla_policy_fk foreign key (sla_policy_id) references sla_policies (id) on delete set null;

create table applied_slas (
  id              bigserial primary key,
  account_id      bigint not null references accounts (id) on delete cascade,
  sla_policy_id   bigint not null references sla_policies (id) on delete cascade,
  conversation_id bigint not null references conversations (id) on delete cascade,
  -- active 0, hit 1, missed 2, active_with_misses 3
  sla_status      smallint not null default 0 check (sla_status between 0 and 3),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (account_id, sla_policy_id, conversation_id)
);
create index applied_slas_conversation on applied_slas (conversation_id);
create index applied_slas_account_created on applied_slas (account_id, created_at);
create index applied_slas_policy on applied_slas (sla_policy_id);

create table sla_events (
  id              bigserial primary key,
  account_id      bigint not null references accounts (id) on delete cascade,
  applied_sla_id  bigint not null references applied_slas (id) on delete cascade,
  conversation_id bigint not null references conversations (id) on delete cascade,
  inbox_id        bigint not null references inboxes (id) on delete cascade,
  sla_policy_id   bigint not null references sla_policies (id) on delete cascade,
  -- frt 0, nrt 1, rt 2
  event_type      smallint not null check (event_type between 0 and 2),
  meta            jsonb not null default '{}',
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index sla_events_applied_sla on sla_events (applied_sla_id, event_type);
create index sla_events_conversation on sla_events (conversation_id);
