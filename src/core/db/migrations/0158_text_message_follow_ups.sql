-- A public text message stored by a one-statement path (an agent's plain reply, a contact's text
-- message) notifies the conversation's assignee and participants, and queues its message_created
-- deliveries to account webhooks, in that statement: before, either of them sent the message down
-- the transactional path (14 round trips instead of one).
--
-- Deliveries queued so carry no payload yet (null): the node that stored the message renders it
-- after commit from what its statement read (the message, the conversation's push data) and sets
-- it, waking the drainers then. Chatwoot renders a webhook's body in a job after the change
-- commits as well (EventDispatcherJob, WebhookJob). The drainers skip rows without a payload; a
-- node that died before setting one leaves rows every node renders from the database after a while
-- (tasks/webhook-render.ts, domains/webhooks/deferred-payloads.ts; the partial index below).
alter table webhook_deliveries alter column payload drop not null;

create index webhook_deliveries_unrendered_idx on webhook_deliveries (created_at) where payload is null;

-- the insert of a row without a payload wakes no drainer: nothing of it is claimable yet
drop trigger webhook_deliveries_wake on webhook_deliveries;
create trigger webhook_deliveries_wake after insert on webhook_deliveries
  for each row when (new.payload is not null) execute function webhook_deliveries_wake();

create or replace function webhook_deliveries_candidates(me text, skip_urls text[], lim integer)
returns table (id uuid, url text, locked_by text, next_attempt_at timestamptz)
language plpgsql volatile set enable_bitmapscan = off set plan_cache_mode = force_generic_plan as $$
begin
  return query
    select d.id, d.url, d.locked_by, d.next_attempt_at from webhook_deliveries d
    where d.status = 'pending' and d.next_attempt_at <= now() and d.url <> all(skip_urls)
      and d.payload is not null
      and (d.locked_by is null or (d.locked_by <> me
        and pg_try_advisory_xact_lock(('x' || left(md5(d.locked_by), 16))::bit(64)::bigint)))
    order by d.next_attempt_at limit lim;
end
$$;

-- The account webhooks subscribed to message_created, account-wide or for the message's inbox
-- (receivers.ts receiversQuery's first part), each get a delivery of the message without a
-- payload. The ids, or null when there is none. PL/pgSQL: its statements' plans are kept per
-- connection (a SQL function's insert was planned on every call, 0.2 ms).
create function message_created_webhooks(account bigint, inbox bigint, message bigint) returns uuid[]
language plpgsql volatile as $$
declare
  ids uuid[];
begin
  with created as (
    insert into webhook_deliveries (id, account_id, kind, webhook_id, url, event, payload, message_id)
    select gen_random_uuid(), account, 'account_webhook', w.id, w.url, 'message_created', null, message
    from webhooks w
    where w.account_id = account and w.subscriptions ? 'message_created' and (w.inbox_id is null or w.inbox_id = inbox)
    returning id
  )
  select array_agg(id) into ids from created;
  return ids;
end
$$;

-- Messages::NewMessageNotificationService for a public message (notifications/listener.ts
-- onNewMessage, with build.ts buildNotification's checks): the assignee, then the participants in
-- the order they joined, never the message's author (null for a contact's) and nobody twice; a
-- blocked contact's conversation notifies nobody; each only if they may open the conversation (an
-- administrator, or a member of its inbox or team); each keeps only their newest notification of
-- the conversation. Returns one {row, removed} per notification written (the row as to_jsonb, the
-- ids of the older ones removed), or null when none was.
create function message_created_notifications(account bigint, conversation bigint, author bigint, message bigint)
returns jsonb language plpgsql volatile as $$
declare
  c record;
  target record;
  created notifications;
  removed bigint[];
  result jsonb := '[]';
begin
  select cv.id, cv.inbox_id, cv.team_id, cv.contact_id, cv.assignee_id into c
  from conversations cv where cv.id = conversation and cv.account_id = account;
  if not found or exists (select 1 from contacts where id = c.contact_id and blocked) then
    return null;
  end if;
  for target in
    select u.user_id, u.kind from (
      select c.assignee_id as user_id, 3 as kind, 0 as place, 0::bigint as joined
      where c.assignee_id is not null and c.assignee_id is distinct from author
      union all
      select p.user_id, 5, 1, p.id from conversation_participants p
      where p.conversation_id = conversation and p.user_id is distinct from author
        and p.user_id is distinct from c.assignee_id
    ) u order by u.place, u.joined
  loop
    continue when not exists (
      select 1 from account_users au
      where au.account_id = account and au.user_id = target.user_id
        and (au.role = 1
          or exists (select 1 from inbox_members where inbox_id = c.inbox_id and user_id = target.user_id)
          or exists (select 1 from team_members where team_id = coalesce(c.team_id, 0) and user_id = target.user_id)));
    insert into notifications (account_id, user_id, notification_type, primary_actor_id, secondary_actor_type, secondary_actor_id)
    values (account, target.user_id, target.kind, conversation, 'Message', message)
    returning * into created;
    with gone as (
      delete from notifications where user_id = target.user_id and primary_actor_id = conversation and id <> created.id
      returning id
    )
    select array_agg(id order by id) into removed from gone;
    result := result || jsonb_build_array(jsonb_build_object('row', to_jsonb(created), 'removed', coalesce(to_jsonb(removed), '[]'::jsonb)));
  end loop;
  return nullif(result, '[]'::jsonb);
end
$$;
