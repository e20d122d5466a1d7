-- Reporting events of an agent's plain reply stored by the one-statement path
-- (domains/messages/live-reply.ts): the statement calls reporting_reply_event for the message it
-- stored, with what it saw of the conversation before the message (whether the reply is the
-- first, waiting_since), so first_response and reply_time are written with the message instead
-- of the reply declining the fast path. The transactional path writes the same rows from its
-- listener (domains/reporting-events/listener.ts). Inboxes with working hours take that path
-- (reportingTextMessageInterest): value_in_business_hours is computed there (business-hours/hours.ts)
-- and handed to the same function; the fast path hands 0, as Chatwoot writes for an inbox without
-- working hours.

-- Chatwoot's ReportingEventHelper#last_non_human_activity: when the humans' turn began — the
-- latest bot handoff or reopening, else the latest bot resolution, else the conversation's creation.
create function reporting_last_non_human_activity(conversation bigint, created timestamptz) returns timestamptz
language sql stable as $$
  select coalesce(
    (select r.event_end_time from reporting_events r
      where r.conversation_id = conversation and r.name in ('conversation_bot_handoff', 'conversation_opened')
        and r.event_end_time is not null
      order by r.event_end_time desc limit 1),
    (select r.event_end_time from reporting_events r
      where r.conversation_id = conversation and r.name = 'conversation_bot_resolved' and r.event_end_time is not null
      order by r.id desc limit 1),
    created)
$$;

-- Whole seconds between two instants as Chatwoot counts them (to_i - to_i).
create function reporting_seconds(start_time timestamptz, end_time timestamptz) returns double precision
language sql immutable as $$
  select floor(extract(epoch from end_time)) - floor(extract(epoch from start_time))
$$;

-- first_response (first_reply true) or reply_time (waiting_before set) for an agent's reply
-- stored at replied_at; null when the reply is neither. Returns the event's id. business_seconds:
-- value_in_business_hours, computed by the caller (the transactional listener; 0 on the fast path).
-- waiting_before counts to the millisecond: the transactional path knows it from its event as a
-- JavaScript time, and both paths must write the same row.
create function reporting_reply_event(account bigint, conversation bigint, author bigint, first_reply boolean,
  waiting_before timestamptz, replied_at timestamptz, business_seconds double precision) returns bigint
-- plpgsql: its statements' plans are kept for the session
language plpgsql volatile as $$
declare
  conv record;
  started timestamptz;
  event_name text;
  written bigint;
begin
  if first_reply then
    event_name := 'first_response';
  elsif waiting_before is not null then
    event_name := 'reply_time';
  else
    return null;
  end if;
  select c.id, c.inbox_id, c.created_at into conv from conversations c
    where c.id = conversation and c.account_id = account;
  if not found then
    return null;
  end if;
  started := case when first_reply then reporting_last_non_human_activity(conv.id, conv.created_at)
    else date_trunc('milliseconds', waiting_before) end;
  insert into reporting_events (name, value, value_in_business_hours, account_id, inbox_id, user_id, conversation_id,
      event_start_time, event_end_time)
    values (event_name, reporting_seconds(started, replied_at), coalesce(business_seconds, 0), account, conv.inbox_id, author, conv.id,
      started, replied_at)
    returning id into written;
  return written;
end
$$;

-- reopenings look up the conversation's latest resolution; handoffs whether one is recorded
create index reporting_events_conversation_name_idx on reporting_events (conversation_id, name, event_end_time);
drop index reporting_events_conversation_idx;
