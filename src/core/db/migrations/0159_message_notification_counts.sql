-- message_created_notifications (0158) also returns, for each user it notified, the count of their
-- default notification list (NotificationFinder without params: unread, not snoozed) as its writes
-- left it: the notification.created and notification.deleted broadcasts carry that count, which the
-- node read in a statement of its own per user after the commit (0.8 of the 5.5 statements of
-- bench:message's reply that notifies its assignee). Counted here it is the count the change left,
-- as Chatwoot's listener reads it after the change.
create or replace function message_created_notifications(account bigint, conversation bigint, author bigint, message bigint)
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
    result := result || jsonb_build_array(jsonb_build_object('row', to_jsonb(created), 'removed', coalesce(to_jsonb(removed), '[]'::jsonb),
      'count', (select count(*) from notifications
        where user_id = target.user_id and account_id = account and snoozed_until is null and read_at is null)));
  end loop;
  return nullif(result, '[]'::jsonb);
end
$$;
