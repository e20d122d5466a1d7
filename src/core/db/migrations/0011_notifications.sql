-- Notifications (Chatwoot's notifications table), the per-user notification settings that decide
-- whether a conversation_creation notification is made, and the account cache keys that
-- account.cache_invalidated announces.

create table notifications (
  id                   bigserial primary key,
  account_id           bigint not null references accounts (id) on delete cascade,
  user_id              bigint not null references users (id) on delete cascade,
  -- Chatwoot enum: 1 conversation_creation, 2 conversation_assignment, 3 assigned_conversation_new_message,
  -- 4 conversation_mention, 5 participating_conversation_new_message, 6-8 sla_missed_*
  notification_type    smallint not null,
  -- polymorphic as in Chatwoot, but Notification::PRIMARY_ACTORS is ['Conversation'] only: the
  -- conversation is a real foreign key, so a deleted conversation takes its notifications with it
  primary_actor_type   text not null default 'Conversation' check (primary_actor_type = 'Conversation'),
  primary_actor_id     bigint not null references conversations (id) on delete cascade,
  -- the message that caused it, or the user or bot who did (Current.user); null for the system or a contact
  secondary_actor_type text check (secondary_actor_type in ('Message', 'User', 'AgentBot')),
  secondary_actor_id   bigint,
  read_at              timestamptz,
  snoozed_until        timestamptz,
  -- the list is ordered by it; a snooze ending moves it to now
  last_activity_at     timestamptz not null default now(),
  meta                 jsonb not null default '{}'::jsonb,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
-- a user's list in an account, newest first (and the tie-breaker id)
create index notifications_user_list_idx on notifications (user_id, account_id, last_activity_at desc, id desc);
-- unread counts (the badge) read only unread rows
create index notifications_user_unread_idx on notifications (user_id, account_id) where read_at is null;
-- RemoveDuplicateNotificationJob: the older notifications of one user about one conversation
create index notifications_actor_idx on notifications (primary_actor_id, user_id);

-- NotificationSetting: one row per user and account; bit n-1 of a flag set is notification type n
-- (FlagShihTzu columns). No row means Chatwoot's defaults for a new account user: email and push
-- for conversation_assignment only (AccountUser#create_notification_setting).
create table notification_settings (
  id          bigserial primary key,
  account_id  bigint not null references accounts (id) on delete cascade,
  user_id     bigint not null references users (id) on delete cascade,
  email_flags integer not null default 0,
  push_flags  integer not null default 0,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (account_id, user_id)
);

-- Account#cache_keys (Chatwoot keeps them in Redis as idb-cache-key-account-<id>-<key>): the epoch
-- second of the last change to the account's labels, inboxes or teams. No row reads '0000000000'.
create table account_cache_keys (
  account_id  bigint not null references accounts (id) on delete cascade,
  key         text not null check (key in ('label', 'inbox', 'team')),
  stamp       bigint not null,
  primary key (account_id, key)
);
