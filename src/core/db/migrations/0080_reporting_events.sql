-- Chatwoot's reporting_events: one row per measured moment of a conversation (first_response,
-- reply_time, conversation_resolved, conversation_opened, conversation_bot_handoff,
-- conversation_bot_resolved, …), written in the transaction of its cause. value and
-- value_in_business_hours are seconds (Chatwoot's floats); event_start_time / event_end_time bound
-- what was measured. Reports (api/v2) read them.
create table reporting_events (
  id                      bigserial primary key,
  name                    text not null,
  value                   double precision,
  value_in_business_hours double precision,
  account_id              bigint not null references accounts (id) on delete cascade,
  inbox_id                bigint,
  user_id                 bigint,
  conversation_id         bigint,
  event_start_time        timestamptz,
  event_end_time          timestamptz,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now()
);
-- reports read an account's events of one name over a time range
create index reporting_events_account_name_created_idx on reporting_events (account_id, name, created_at);
create index reporting_events_conversation_idx on reporting_events (conversation_id);
