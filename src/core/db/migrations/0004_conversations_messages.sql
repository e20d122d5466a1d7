-- Application API part 3: conversations, messages, attachments, participants, and the counters
-- behind the conversation list's meta counts.

-- Chatwoot numbers conversations per account (display_id) from a per-account sequence.
create table conversation_display_ids (
  account_id bigint primary key references accounts (id) on delete cascade,
  last_value bigint not null default 0
);

create table conversations (
  id                     bigserial primary key,
  account_id             bigint not null references accounts (id) on delete cascade,
  inbox_id               bigint not null references inboxes (id) on delete cascade,
  contact_id             bigint not null references contacts (id) on delete cascade,
  contact_inbox_id       bigint references contact_inboxes (id) on delete set null,
  display_id             bigint not null,
  uuid                   uuid not null default gen_random_uuid() unique,
  -- Chatwoot enums: status 0 open, 1 resolved, 2 pending, 3 snoozed; priority 0 low .. 3 urgent
  status                 smallint not null default 0,
  priority               smallint,
  assignee_id            bigint references users (id) on delete set null,
  team_id                bigint references teams (id) on delete set null,
  campaign_id            bigint,
  sla_policy_id          bigint,
  snoozed_until          timestamptz,
  identifier             text,
  additional_attributes  jsonb not null default '{}'::jsonb,
  custom_attributes      jsonb not null default '{}'::jsonb,
  agent_last_seen_at     timestamptz,
  assignee_last_seen_at  timestamptz,
  contact_last_seen_at   timestamptz,
  first_reply_created_at timestamptz,
  waiting_since          timestamptz,
  last_activity_at       timestamptz not null default now(),
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  unique (account_id, display_id)
);
-- list pages: by status and the default sort, whole account / one assignee / one inbox / one team
-- status=all lists
create index conversations_account_activity_idx on conversations (account_id, last_activity_at desc, id desc);
create index conversations_account_status_activity_idx on conversations (account_id, status, last_activity_at desc, id desc);
create index conversations_assignee_status_activity_idx on conversations (account_id, assignee_id, status, last_activity_at desc, id desc);
create index conversations_unassigned_activity_idx on conversations (account_id, status, last_activity_at desc, id desc) where assignee_id is null;
create index conversations_inbox_status_activity_idx on conversations (inbox_id, status, last_activity_at desc, id desc);
create index conversations_team_status_activity_idx on conversations (team_id, status, last_activity_at desc, id desc) where team_id is not null;
create index conversations_contact_idx on conversations (contact_id, last_activity_at desc);
create index conversations_contact_inbox_idx on conversations (contact_inbox_id);

-- Display ids come from the account's counter unless the writer brings one (bulk seeding).
create function conversations_assign_display_id() returns trigger language plpgsql as $$
begin
  if new.display_id is null then
    insert into conversation_display_ids (account_id, last_value) values (new.account_id, 1)
      on conflict (account_id) do update set last_value = conversation_display_ids.last_value + 1
      returning last_value into new.display_id;
  end if;
  return new;
end
$$;
create trigger conversations_display_id before insert on conversations
  for each row execute function conversations_assign_display_id();

-- The list's meta counts (mine / unassigned / all) come from these maintained counters, one row per
-- (status, inbox, team, assignee): reading them costs a few index probes however many conversations
-- the account holds. 0 stands for "no team" / "no assignee".
create table conversation_counts (
  account_id  bigint not null references accounts (id) on delete cascade,
  status      smallint not null,
  inbox_id    bigint not null,
  team_id     bigint not null,
  assignee_id bigint not null,
  n           bigint not null,
  primary key (account_id, status, inbox_id, team_id, assignee_id)
);

create function conversation_counts_track() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    if tg_op = 'DELETE' or (old.status, old.inbox_id, coalesce(old.team_id, 0), coalesce(old.assignee_id, 0))
        is distinct from (new.status, new.inbox_id, coalesce(new.team_id, 0), coalesce(new.assignee_id, 0)) then
      update conversation_counts set n = n - 1
        where account_id = old.account_id and status = old.status and inbox_id = old.inbox_id
          and team_id = coalesce(old.team_id, 0) and assignee_id = coalesce(old.assignee_id, 0);
    else
      return null;
    end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into conversation_counts as c (account_id, status, inbox_id, team_id, assignee_id, n)
      values (new.account_id, new.status, new.inbox_id, coalesce(new.team_id, 0), coalesce(new.assignee_id, 0), 1)
      on conflict (account_id, status, inbox_id, team_id, assignee_id) do update set n = c.n + 1;
  end if;
  return null;
end
$$;
create trigger conversations_counts after insert or update or delete on conversations
  for each row execute function conversation_counts_track();

-- The same counters per label, so a list filtered by one label counts without scanning either:
-- taggings of conversations add or remove one under the conversation's current key, and a
-- conversation whose key changes (or that goes away) moves its labels' counts with it.
create table conversation_label_counts (
  account_id  bigint not null references accounts (id) on delete cascade,
  label       text not null,
  status      smallint not null,
  inbox_id    bigint not null,
  team_id     bigint not null,
  assignee_id bigint not null,
  n           bigint not null,
  primary key (account_id, label, status, inbox_id, team_id, assignee_id)
);

create function conversation_label_counts_tagging() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.taggable_type = 'Conversation' then
    update conversation_label_counts l set n = l.n - 1 from conversations c
      where c.id = old.taggable_id and l.account_id = c.account_id and l.label = old.name and l.status = c.status
        and l.inbox_id = c.inbox_id and l.team_id = coalesce(c.team_id, 0) and l.assignee_id = coalesce(c.assignee_id, 0);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.taggable_type = 'Conversation' then
    insert into conversation_label_counts as l (account_id, label, status, inbox_id, team_id, assignee_id, n)
      select c.account_id, new.name, c.status, c.inbox_id, coalesce(c.team_id, 0), coalesce(c.assignee_id, 0), 1
      from conversations c where c.id = new.taggable_id
      on conflict (account_id, label, status, inbox_id, team_id, assignee_id) do update set n = l.n + 1;
  end if;
  return null;
end
$$;
create trigger taggings_conversation_label_counts after insert or update or delete on taggings
  for each row execute function conversation_label_counts_tagging();

create function conversation_label_counts_move() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and (old.status, old.inbox_id, coalesce(old.team_id, 0), coalesce(old.assignee_id, 0))
      is not distinct from (new.status, new.inbox_id, coalesce(new.team_id, 0), coalesce(new.assignee_id, 0)) then
    return null;
  end if;
  update conversation_label_counts l set n = l.n - 1 from taggings t
    where t.taggable_type = 'Conversation' and t.taggable_id = old.id and l.account_id = old.account_id and l.label = t.name
      and l.status = old.status and l.inbox_id = old.inbox_id and l.team_id = coalesce(old.team_id, 0) and l.assignee_id = coalesce(old.assignee_id, 0);
  if tg_op = 'UPDATE' then
    insert into conversation_label_counts as l (account_id, label, status, inbox_id, team_id, assignee_id, n)
      select new.account_id, t.name, new.status, new.inbox_id, coalesce(new.team_id, 0), coalesce(new.assignee_id, 0), 1
      from taggings t where t.taggable_type = 'Conversation' and t.taggable_id = new.id
      on conflict (account_id, label, status, inbox_id, team_id, assignee_id) do update set n = l.n + 1;
  end if;
  return null;
end
$$;
create trigger conversations_label_counts after update or delete on conversations
  for each row execute function conversation_label_counts_move();

create table conversation_participants (
  id              bigserial primary key,
  account_id      bigint not null references accounts (id) on delete cascade,
  conversation_id bigint not null references conversations (id) on delete cascade,
  user_id         bigint not null references users (id) on delete cascade,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (conversation_id, user_id)
);

create table messages (
  id                    bigserial primary key,
  account_id            bigint not null references accounts (id) on delete cascade,
  inbox_id              bigint not null references inboxes (id) on delete cascade,
  conversation_id       bigint not null references conversations (id) on delete cascade,
  -- Chatwoot enums: message_type 0 incoming, 1 outgoing, 2 activity, 3 template;
  -- content_type 0 text .. 12 voice_call; status 0 sent, 1 delivered, 2 read, 3 failed
  message_type          smallint not null,
  content_type          smallint not null default 0,
  content               text,
  private               boolean not null default false,
  status                smallint not null default 0,
  source_id             text,
  content_attributes    jsonb not null default '{}'::jsonb,
  additional_attributes jsonb not null default '{}'::jsonb,
  external_source_ids   jsonb not null default '{}'::jsonb,
  sentiment             jsonb not null default '{}'::jsonb,
  sender_type           text check (sender_type in ('User', 'Contact', 'AgentBot')),
  sender_id             bigint,
  -- the client's temporary id, kept so that a retried POST returns the stored message
  echo_id               text,
  idempotency_key       text,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create index messages_conversation_idx on messages (conversation_id, id);
create index messages_unread_idx on messages (conversation_id, created_at) where message_type = 0;
create unique index messages_echo_id_key on messages (conversation_id, echo_id) where echo_id is not null;
create unique index messages_idempotency_key on messages (conversation_id, idempotency_key) where idempotency_key is not null;
create index messages_account_created_idx on messages (account_id, created_at);

create table attachments (
  id               bigserial primary key,
  account_id       bigint not null references accounts (id) on delete cascade,
  message_id       bigint not null references messages (id) on delete cascade,
  -- Chatwoot enum: 0 image, 1 audio, 2 video, 3 file, 4 location, 5 fallback, 6 share, 7 story_mention, 8 contact
  file_type        smallint not null default 0,
  external_url     text,
  coordinates_lat  double precision,
  coordinates_long double precision,
  fallback_title   text,
  extension        text,
  -- where the bytes live in the configured storage (local directory or S3-compatible bucket)
  storage_key      text,
  filename         text,
  content_type     text,
  file_size        bigint,
  width            integer,
  height           integer,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index attachments_message_idx on attachments (message_id);
