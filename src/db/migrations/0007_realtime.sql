-- Realtime: every broadcast is kept for a bounded window so a reconnecting client can replay what
-- it missed, and agent/contact presence is shared by all nodes.

create table realtime_events (
  id         bigserial primary key,
  -- the pubsub streams (tokens, account_<id>) the event goes to
  streams    text[] not null,
  event      text not null,
  data       jsonb not null,
  created_at timestamptz not null default now()
);
create index realtime_events_streams_idx on realtime_events using gin (streams);
create index realtime_events_created_idx on realtime_events (created_at);

-- who was seen online when; rows older than the presence timeout mean offline
create unlogged table presence (
  account_id   bigint not null,
  kind         text not null check (kind in ('User', 'Contact')),
  entity_id    bigint not null,
  last_seen_at timestamptz not null default now(),
  primary key (account_id, kind, entity_id)
);
