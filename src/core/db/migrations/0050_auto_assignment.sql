-- Auto-assignment (Chatwoot's AutoAssignment services) and Assignment V2 policies.
--
-- The round-robin queue Chatwoot keeps in Redis (ROUND_ROBIN_AGENTS:<inbox_id>) lives here, one
-- turn per inbox member: the member with the smallest turn is the least recently assigned (the
-- tail of Chatwoot's list); an assignment gives the chosen member a new turn from the sequence (the
-- head). A new member starts with a fresh turn, so joins at the head as Chatwoot's lpush does, and a
-- removed member's row, turn and all, is gone. Every node reads the same queue.
create sequence inbox_round_robin_turns;
alter table inbox_members add column round_robin_turn bigint not null default nextval('inbox_round_robin_turns');
create index inbox_members_round_robin_idx on inbox_members (inbox_id, round_robin_turn);

-- assignment_order: 0 round_robin, 1 balanced; conversation_priority: 0 earliest_created, 1 longest_waiting.
create table assignment_policies (
  id                       bigserial primary key,
  account_id               bigint not null references accounts (id) on delete cascade,
  name                     text not null,
  description              text,
  assignment_order         smallint not null default 0,
  conversation_priority    smallint not null default 0,
  fair_distribution_limit  integer not null default 100 check (fair_distribution_limit > 0),
  fair_distribution_window integer not null default 3600 check (fair_distribution_window > 0),
  enabled                  boolean not null default true,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  unique (account_id, name)
);

-- One policy per inbox (Inbox has_one :inbox_assignment_policy).
create table inbox_assignment_policies (
  id                   bigserial primary key,
  account_id           bigint not null references accounts (id) on delete cascade,
  inbox_id             bigint not null unique references inboxes (id) on delete cascade,
  assignment_policy_id bigint not null references assignment_policies (id) on delete cascade,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
create index inbox_assignment_policies_policy_idx on inbox_assignment_policies (assignment_policy_id);

create table agent_capacity_policies (
  id              bigserial primary key,
  account_id      bigint not null references accounts (id) on delete cascade,
  name            text not null,
  description     text,
  exclusion_rules jsonb not null default '{}'::jsonb,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index agent_capacity_policies_account_idx on agent_capacity_policies (account_id);

alter table account_users
  add column agent_capacity_policy_id bigint references agent_capacity_policies (id) on delete set null;
create index account_users_capacity_policy_idx on account_users (agent_capacity_policy_id)
  where agent_capacity_policy_id is not null;

create table inbox_capacity_limits (
  id                       bigserial primary key,
  account_id               bigint not null references accounts (id) on delete cascade,
  agent_capacity_policy_id bigint not null references agent_capacity_policies (id) on delete cascade,
  inbox_id                 bigint not null references inboxes (id) on delete cascade,
  conversation_limit       integer not null check (conversation_limit > 0),
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  unique (agent_capacity_policy_id, inbox_id)
);
create index inbox_capacity_limits_inbox_idx on inbox_capacity_limits (inbox_id);

-- Assignment V2's fair distribution (Chatwoot's RateLimiter keys, one per assignment with the
-- window as TTL): the assignments made per agent and inbox, counted over the policy's window.
create table auto_assignments (
  id              bigserial primary key,
  account_id      bigint not null references accounts (id) on delete cascade,
  inbox_id        bigint not null references inboxes (id) on delete cascade,
  user_id         bigint not null references users (id) on delete cascade,
  conversation_id bigint not null references conversations (id) on delete cascade,
  assigned_at     timestamptz not null default now()
);
create index auto_assignments_window_idx on auto_assignments (inbox_id, user_id, assigned_at);
