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

-- Stores a batch of events in one round trip: ids are taken under a lock, so they commit in id
-- order and a replay after id N can never skip one; the commit does not wait for a disk flush
-- (the replay log may lose its last fraction of a second in a crash). `origin` tells the other
-- nodes whose events these are: the NOTIFY payload is "origin:id,id,...".
create function realtime_store(events jsonb, origin text, notify boolean) returns setof bigint language plpgsql as $$
declare
  item jsonb;
  new_id bigint;
  ids bigint[] := '{}';
begin
  perform set_config('synchronous_commit', 'off', true);
  perform pg_advisory_xact_lock(1667326572);
  for item in select value from jsonb_array_elements(events) loop
    insert into realtime_events (streams, event, data)
      values (array(select jsonb_array_elements_text(item -> 'streams')), item ->> 'event', item -> 'data')
      returning id into new_id;
    ids := ids || new_id;
  end loop;
  if notify then
    perform pg_notify('confab_cable', origin || ':' || array_to_string(ids, ','));
  end if;
  return query select unnest(ids);
end
$$;
