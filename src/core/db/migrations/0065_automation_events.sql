-- Automation events are queued as rows of their own and drained in batches
-- (domains/automation-rules/drain.ts): a message of an account with a hundred rules must cost the
-- request one small insert, not a graphile-worker job (add_job, its NOTIFY at commit, a fetch and a
-- transaction per event). The row is written with the change that caused it (outbox), so a crash
-- loses neither; the drainer deletes it in the transaction that records what its rules did.
create table automation_events (
  id                 bigserial primary key,
  account_id         bigint not null,
  event_name         text not null,
  conversation_id    bigint not null,
  message_id         bigint,
  -- conversation_updated: attribute → [previous, current] (Chatwoot's changed_attributes)
  changed_attributes jsonb,
  occurred_at        timestamptz not null default now()
);

-- The runs the drainer settles without acting, one row per event for all of them: the rules whose
-- conditions did not match, and those that matched with actions that changed nothing (a label the
-- conversation has, the priority it has). A hundred rules must not mean a hundred rows a message.
-- Ids come from the runs' sequence, so the two tables list in one order (automation_rule_run_list).
-- No foreign keys: each would be a check and a KEY SHARE lock on the account's row per event, the
-- row every message of the account locks too. A deleted account's rows go with the weekly pruning.
create table automation_event_runs (
  id                 bigint primary key default nextval('automation_rule_runs_id_seq'),
  account_id         bigint not null,
  event_name         text not null,
  -- the automation_events row it settles: runs list in the order of their events
  event_id           bigint not null,
  conversation_id    bigint,
  message_id         bigint,
  missed_rule_ids    bigint[] not null default '{}',
  unchanged_rule_ids bigint[] not null default '{}',
  created_at         timestamptz not null default now()
);
-- a rule's runs are listed by its account and event, newest first
create index automation_event_runs_account_event_idx on automation_event_runs (account_id, event_name, event_id desc);

-- Every run of every rule, one row each, as GET .../automation_rules/:id/runs lists them (an
-- unchanged run's actions, [{action_name, applied}], are the rule's: see the runs list).
create view automation_rule_run_list as
  select id, account_id, automation_rule_id, conversation_id, message_id, event_name, event_key, matched,
    actions, error, created_at
  from automation_rule_runs
  union all
  select e.id, e.account_id, r.rule_id, e.conversation_id, e.message_id, e.event_name, 'event:' || e.event_id, r.matched,
    '[]'::jsonb, null::text, e.created_at
  from automation_event_runs e
  cross join lateral (
    select m.rule_id, false as matched from unnest(e.missed_rule_ids) as m (rule_id)
    union all
    select u.rule_id, true from unnest(e.unchanged_rule_ids) as u (rule_id)
  ) r;

-- What a one-statement message path evaluates for each message it stores: the message_created
-- event, queued when the account has an active rule for it.
create function automation_message_created(account bigint, conversation bigint, message bigint) returns bigint
-- plpgsql: its statements' plans are kept for the session, where a SQL function with an insert is
-- planned again in every statement that calls it
language plpgsql volatile as $$
declare
  queued bigint;
begin
  if not exists (select 1 from automation_rules r
      where r.account_id = account and r.active and r.event_name = 'message_created') then
    return null;
  end if;
  insert into automation_events (account_id, event_name, conversation_id, message_id)
    values (account, 'message_created', conversation, message)
    returning id into queued;
  return queued;
end
$$;

-- The event a run is of (null for runs recorded before events were queued as rows), so that a
-- rule's runs list in the order of their events whichever way each was run.
alter table automation_rule_runs add column event_id bigint;

-- A run's conversation is a plain id, as a miss's is (the list shows null once the conversation is
-- gone): the foreign key made every run record take a KEY SHARE lock on the conversation until the
-- drainer's batch committed, and a message into that conversation (FOR UPDATE) waited for it.
alter table automation_rule_runs drop constraint automation_rule_runs_conversation_id_fkey;
drop index automation_rule_runs_conversation_idx;
