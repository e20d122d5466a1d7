-- One lock order for an inbox's assignment state: the inbox's advisory lock (class 20050, the lock
-- auto-assignment and a team change hold while they pick an agent, domains/conversations/round-robin.ts
-- lockInbox) is taken before any row that counts the inbox's conversations.
--
-- The counters (conversation_counts, conversation_label_counts) are rows shared by every conversation
-- of a key, written by AFTER triggers, and held until commit. A request changed a conversation (its
-- counter rows) and only then took the inbox lock to auto-assign it, while an Assignment V2 run took
-- the inbox lock and then, assigning, the counter rows: two of them in one inbox waited on each other
-- and PostgreSQL aborted one. Here every statement that moves a conversation between counter keys
-- (insert, a change of status, inbox, team or assignee), every conversation tagging and every change
-- of the inbox's members (the round-robin queue) takes the inbox lock first, in a BEFORE trigger:
-- whoever holds the inbox lock never waits on a counter row, because only holders of the inbox lock
-- can hold one. A conversation's deletion takes no lock: it never goes on to auto-assign.
create function inbox_assignment_lock(inbox_id bigint) returns void language sql as $$
  select pg_advisory_xact_lock(20050, (inbox_id % 2147483647)::int4)
$$;

create function conversations_inbox_lock() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform inbox_assignment_lock(new.inbox_id);
  elsif (old.status, old.inbox_id, old.team_id, old.assignee_id)
      is distinct from (new.status, new.inbox_id, new.team_id, new.assignee_id) then
    -- a move between inboxes locks both, the smaller id first
    perform inbox_assignment_lock(least(old.inbox_id, new.inbox_id));
    if old.inbox_id <> new.inbox_id then
      perform inbox_assignment_lock(greatest(old.inbox_id, new.inbox_id));
    end if;
  end if;
  return new;
end
$$;
create trigger conversations_inbox_lock before insert or update of status, inbox_id, team_id, assignee_id
  on conversations for each row execute function conversations_inbox_lock();

create function taggings_inbox_lock() returns trigger language plpgsql as $$
declare
  tagged bigint := case when tg_op = 'DELETE' then old.taggable_id else new.taggable_id end;
  kind text := case when tg_op = 'DELETE' then old.taggable_type else new.taggable_type end;
begin
  if kind = 'Conversation' then
    perform inbox_assignment_lock(c.inbox_id) from conversations c where c.id = tagged;
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger taggings_inbox_lock before insert or update or delete on taggings
  for each row execute function taggings_inbox_lock();

create function inbox_members_inbox_lock() returns trigger language plpgsql as $$
begin
  perform inbox_assignment_lock(case when tg_op = 'DELETE' then old.inbox_id else new.inbox_id end);
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger inbox_members_inbox_lock before insert or delete on inbox_members
  for each row execute function inbox_members_inbox_lock();
