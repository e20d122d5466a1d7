-- The runs the drainer settles without acting are recorded one row per outcome of a batch, not one
-- per event: the events of a batch that share an account, an event name and an outcome (the same
-- rules missed, the same matched without changing anything) — on a busy account, every message of
-- the batch — are one row carrying their ids in arrays. A row per event (0065) was 230 heap and
-- index inserts, and their WAL, five times a second on a busy node: bench:automation measured the
-- recording at a third of what a hundred rules cost a message's p99.
-- automation_rule_run_list still lists one run per rule per event, each with an id of the runs'
-- sequence (run_ids, drawn when the row is written).
drop view automation_rule_run_list;

alter table automation_event_runs rename to automation_event_runs_single;
alter index automation_event_runs_pkey rename to automation_event_runs_single_pkey;
alter index automation_event_runs_account_event_idx rename to automation_event_runs_single_account_event_idx;

create table automation_event_runs (
  id                 bigint primary key default nextval('automation_rule_runs_id_seq'),
  account_id         bigint not null,
  event_name         text not null,
  -- one entry per event, in the order of the events: the id its runs list with, the
  -- automation_events row it settles, its conversation and message
  run_ids            bigint[] not null,
  event_ids          bigint[] not null,
  conversation_ids   bigint[] not null,
  message_ids        bigint[] not null,
  -- the newest of event_ids: a rule's runs are read newest first through it
  last_event_id      bigint not null,
  missed_rule_ids    bigint[] not null default '{}',
  unchanged_rule_ids bigint[] not null default '{}',
  created_at         timestamptz not null default now()
);

insert into automation_event_runs (id, account_id, event_name, run_ids, event_ids, conversation_ids, message_ids,
    last_event_id, missed_rule_ids, unchanged_rule_ids, created_at)
  select id, account_id, event_name, array[id], array[event_id], array[conversation_id], array[message_id],
    event_id, missed_rule_ids, unchanged_rule_ids, created_at
  from automation_event_runs_single;

drop table automation_event_runs_single;

create index automation_event_runs_account_event_idx on automation_event_runs (account_id, event_name, last_event_id desc);

-- Every run of every rule, one row each, as GET .../automation_rules/:id/runs lists them.
create view automation_rule_run_list as
  select id, account_id, automation_rule_id, conversation_id, message_id, event_name, event_key, matched,
    actions, error, created_at
  from automation_rule_runs
  union all
  select x.id, e.account_id, r.rule_id, x.conversation_id, x.message_id, e.event_name, 'event:' || x.event_id,
    r.matched, '[]'::jsonb, null::text, e.created_at
  from automation_event_runs e
  cross join lateral unnest(e.run_ids, e.event_ids, e.conversation_ids, e.message_ids)
    as x (id, event_id, conversation_id, message_id)
  cross join lateral (
    select m.rule_id, false as matched from unnest(e.missed_rule_ids) as m (rule_id)
    union all
    select u.rule_id, true from unnest(e.unchanged_rule_ids) as u (rule_id)
  ) r;
