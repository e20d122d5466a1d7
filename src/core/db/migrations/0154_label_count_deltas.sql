-- Taggings without the inbox lock (issue 20's bench: the rules going live). 0051 made every
-- tagging of a conversation take its inbox's lock, because the per-label counters it wrote are rows
-- shared by every conversation of a key (label, status, inbox, team, assignee), held to commit, and
-- whoever holds the inbox lock must never wait on one. So every transaction that tagged a
-- conversation held its whole inbox until commit: an automation run adding labels to 24
-- conversations ran them one after another, and the messages into those conversations waited
-- behind all of them.
--
-- Now a tagging, and a conversation moving between keys, only appends a delta (+1 / -1 under the
-- key it had at that moment); nothing but conversation_label_counts_fold writes the counter rows.
-- The list's label counts read the counters plus the deltas not yet folded, in one snapshot, so a
-- change is in the very next count and folding late changes no answer (as the report rollups,
-- 0100). A tagging holds no shared row, so it no longer takes the inbox lock. It locks its
-- conversation's row instead (every tagging path holds it already): a tagging and a change of the
-- same conversation's key cannot interleave, so the key a tagging is counted under is the one the
-- move that follows it moves (the move reads the taggings committed before it).
create table conversation_label_count_deltas (
  id          bigserial primary key,
  account_id  bigint not null,
  label       text not null,
  status      smallint not null,
  inbox_id    bigint not null,
  team_id     bigint not null,
  assignee_id bigint not null,
  n           smallint not null
);
create index conversation_label_count_deltas_account_label_idx on conversation_label_count_deltas (account_id, label);

drop trigger taggings_inbox_lock on taggings;
drop function taggings_inbox_lock();

create or replace function conversation_label_counts_tagging() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.taggable_type = 'Conversation' then
    insert into conversation_label_count_deltas (account_id, label, status, inbox_id, team_id, assignee_id, n)
      select c.account_id, old.name, c.status, c.inbox_id, coalesce(c.team_id, 0), coalesce(c.assignee_id, 0), -1
      from conversations c where c.id = old.taggable_id for no key update;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.taggable_type = 'Conversation' then
    insert into conversation_label_count_deltas (account_id, label, status, inbox_id, team_id, assignee_id, n)
      select c.account_id, new.name, c.status, c.inbox_id, coalesce(c.team_id, 0), coalesce(c.assignee_id, 0), 1
      from conversations c where c.id = new.taggable_id for no key update;
  end if;
  return null;
end
$$;

create or replace function conversation_label_counts_move() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and (old.status, old.inbox_id, coalesce(old.team_id, 0), coalesce(old.assignee_id, 0))
      is not distinct from (new.status, new.inbox_id, coalesce(new.team_id, 0), coalesce(new.assignee_id, 0)) then
    return null;
  end if;
  insert into conversation_label_count_deltas (account_id, label, status, inbox_id, team_id, assignee_id, n)
    select old.account_id, t.name, old.status, old.inbox_id, coalesce(old.team_id, 0), coalesce(old.assignee_id, 0), -1
    from taggings t where t.taggable_type = 'Conversation' and t.taggable_id = old.id;
  if tg_op = 'UPDATE' then
    insert into conversation_label_count_deltas (account_id, label, status, inbox_id, team_id, assignee_id, n)
      select new.account_id, t.name, new.status, new.inbox_id, coalesce(new.team_id, 0), coalesce(new.assignee_id, 0), 1
      from taggings t where t.taggable_type = 'Conversation' and t.taggable_id = new.id;
  end if;
  return null;
end
$$;

-- Folds up to `batch` of the oldest deltas into the counters (skip locked: nodes fold side by side,
-- and the counter rows are written in key order, so two folds never wait on each other in a
-- circle). Deltas of an account that is gone are dropped (its counters went with it).
create function conversation_label_counts_fold(batch integer) returns integer language sql volatile as $$
  with d as (
    delete from conversation_label_count_deltas where id in (
      select id from conversation_label_count_deltas order by id limit batch for update skip locked)
    returning account_id, label, status, inbox_id, team_id, assignee_id, n
  ),
  summed as (
    select d.account_id, d.label, d.status, d.inbox_id, d.team_id, d.assignee_id, sum(d.n) as n
    from d where exists (select 1 from accounts a where a.id = d.account_id)
    group by 1, 2, 3, 4, 5, 6 having sum(d.n) <> 0
  ),
  folded as (
    insert into conversation_label_counts as l (account_id, label, status, inbox_id, team_id, assignee_id, n)
    select * from summed order by account_id, label, status, inbox_id, team_id, assignee_id
    on conflict (account_id, label, status, inbox_id, team_id, assignee_id) do update set n = l.n + excluded.n
    returning 1
  )
  select count(*)::int from d
$$;
