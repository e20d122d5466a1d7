-- Webhooks: account webhooks (Chatwoot's webhooks table), a signing secret per agent bot, and a
-- delivery log that is also the outbox: a delivery row and its job are written in the transaction
-- of the change that caused them, so a crash never loses one.

create table webhooks (
  id            bigserial primary key,
  account_id    bigint not null references accounts (id) on delete cascade,
  -- set: only events of this inbox (Chatwoot's inbox_id); null: the whole account
  inbox_id      bigint references inboxes (id) on delete cascade,
  name          text,
  url           text not null,
  subscriptions jsonb not null default '[]'::jsonb,
  -- Chatwoot enum: 0 account_type, 1 inbox_type
  webhook_type  smallint not null default 0,
  -- signs deliveries (X-Chatwoot-Signature, webhook-signature)
  secret        text not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (account_id, url)
);

-- Chatwoot signs agent bot deliveries with the bot's secret
alter table agent_bots add column secret text not null default replace(gen_random_uuid()::text, '-', '');

create table webhook_deliveries (
  -- X-Chatwoot-Delivery and webhook-id: the same on every try of this delivery
  id            uuid primary key,
  account_id    bigint not null references accounts (id) on delete cascade,
  -- 'account_webhook' | 'api_inbox_webhook' | 'agent_bot_webhook' (Chatwoot's webhook_type)
  kind          text not null,
  webhook_id    bigint references webhooks (id) on delete cascade,
  inbox_id      bigint references inboxes (id) on delete cascade,
  agent_bot_id  bigint references agent_bots (id) on delete cascade,
  url           text not null,
  event         text not null,
  -- the body as snapshotted when the event happened
  payload       jsonb not null,
  -- 'pending' | 'succeeded' | 'failed'
  status        text not null default 'pending',
  attempts      integer not null default 0,
  response_code integer,
  latency_ms    integer,
  last_error    text,
  -- the message a message_created/updated delivery is about (failure semantics)
  message_id    bigint,
  redelivery_of uuid,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  delivered_at  timestamptz
);
create index webhook_deliveries_webhook_idx on webhook_deliveries (webhook_id, created_at desc);
create index webhook_deliveries_created_idx on webhook_deliveries (created_at);
