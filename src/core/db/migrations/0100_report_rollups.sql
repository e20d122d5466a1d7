-- Report rollups (issue 21's speed goal): what the reports count, kept per quarter hour of UTC
-- time (and per UTC day), so that a 12-month timeseries or a 30-day summary sums a few thousand
-- rows instead of counting millions of messages.
--
-- A source is what a report counts: 'conversations' (by created_at), 'incoming_messages' and
-- 'outgoing_messages' (messages of type 0 and 1, by created_at), or a reporting event's name. A
-- row of report_rollups is one source's aggregates over one slot for one dimension: the account
-- as a whole (0, key 0), an inbox (1, key the inbox id) or a user (2, key the assignee for
-- conversations, the User sender for messages — User#messages —, user_id for events). grain is
-- the slot's width in seconds: 900 (every report zone's buckets start on a quarter hour, see
-- domains/reports/queries.ts) or 86400 (whole UTC days, for the 30-day summaries). Team and label
-- scopes depend on a conversation's current team and labels: they stay on the raw rows.
--
-- The write path never touches a rollup row (every message of an account in one quarter hour
-- would wait on the same row): triggers append a delta — the changed row's source, time, inbox,
-- user and values, +1 or -1 — to report_rollup_deltas, and each node that runs jobs folds the
-- deltas into the rollups in batches (report_rollups_fold, skip locked, so nodes fold side by
-- side). A report reads the rollups plus the deltas not yet folded, in one snapshot, so a change
-- is in the very next report. Sums are numeric, from each float's shortest exact text
-- (extra_float_digits 1, PostgreSQL's default; a plain float8::numeric keeps 15 digits), so a delta
-- and its reversal cancel exactly and the order of folding changes nothing.

create table report_rollups (
  account_id bigint not null,
  source     text not null,
  dimension  smallint not null,
  grain      integer not null,
  key        bigint not null,
  slot       timestamptz not null,
  -- rows; sum and count of non-null value; the same for value_in_business_hours (events only)
  n          bigint not null,
  total      numeric not null,
  valued     bigint not null,
  total_bh   numeric not null,
  valued_bh  bigint not null,
  primary key (account_id, source, dimension, grain, key, slot)
);
-- the account's rows, and every key's rows of a dimension over a range (the summaries grouped by
-- agent or inbox), read from the index alone: a source's rows lie scattered over the table, and
-- fetching each from its own page cost the 30-day agents summary most of its time
create index report_rollups_slot_idx on report_rollups (account_id, source, dimension, grain, slot)
  include (key, n, total, valued, total_bh, valued_bh);

create table report_rollup_deltas (
  id         bigserial primary key,
  account_id bigint not null,
  source     text not null,
  at         timestamptz not null,
  inbox_id   bigint,
  user_id    bigint,
  n          smallint not null,
  value      double precision,
  value_bh   double precision
);
-- reports read an account's not-yet-folded deltas of a source over a time range
create index report_rollup_deltas_account_source_at_idx on report_rollup_deltas (account_id, source, at);

-- The deltas of one source row leaving (-1) or entering (+1) the counts.
create function report_rollup_conversations_delta() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' then
    insert into report_rollup_deltas (account_id, source, at, inbox_id, user_id, n)
      values (old.account_id, 'conversations', old.created_at, old.inbox_id, old.assignee_id, -1);
  end if;
  if tg_op <> 'DELETE' then
    insert into report_rollup_deltas (account_id, source, at, inbox_id, user_id, n)
      values (new.account_id, 'conversations', new.created_at, new.inbox_id, new.assignee_id, 1);
  end if;
  return null;
end
$$;
create trigger conversations_report_rollup after insert or delete on conversations
  for each row execute function report_rollup_conversations_delta();
create trigger conversations_report_rollup_move after update of account_id, created_at, inbox_id, assignee_id
  on conversations for each row
  when (old.account_id <> new.account_id or old.created_at <> new.created_at or old.inbox_id <> new.inbox_id
    or old.assignee_id is distinct from new.assignee_id)
  execute function report_rollup_conversations_delta();

create function report_rollup_messages_delta() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' and old.message_type in (0, 1) then
    insert into report_rollup_deltas (account_id, source, at, inbox_id, user_id, n)
      values (old.account_id, case old.message_type when 0 then 'incoming_messages' else 'outgoing_messages' end,
        old.created_at, old.inbox_id, case when old.sender_type = 'User' then old.sender_id end, -1);
  end if;
  if tg_op <> 'DELETE' and new.message_type in (0, 1) then
    insert into report_rollup_deltas (account_id, source, at, inbox_id, user_id, n)
      values (new.account_id, case new.message_type when 0 then 'incoming_messages' else 'outgoing_messages' end,
        new.created_at, new.inbox_id, case when new.sender_type = 'User' then new.sender_id end, 1);
  end if;
  return null;
end
$$;
-- activity and template messages count in no report: their triggers do not even run
create trigger messages_report_rollup_insert after insert on messages
  for each row when (new.message_type in (0, 1)) execute function report_rollup_messages_delta();
create trigger messages_report_rollup_delete after delete on messages
  for each row when (old.message_type in (0, 1)) execute function report_rollup_messages_delta();
create trigger messages_report_rollup_move
  after update of account_id, message_type, created_at, inbox_id, sender_type, sender_id on messages for each row
  when ((old.message_type in (0, 1) or new.message_type in (0, 1))
    and (old.account_id <> new.account_id or old.message_type <> new.message_type or old.created_at <> new.created_at
      or old.inbox_id <> new.inbox_id or old.sender_type is distinct from new.sender_type
      or old.sender_id is distinct from new.sender_id))
  execute function report_rollup_messages_delta();

create function report_rollup_events_delta() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' then
    insert into report_rollup_deltas (account_id, source, at, inbox_id, user_id, n, value, value_bh)
      values (old.account_id, old.name, old.created_at, old.inbox_id, old.user_id, -1, old.value,
        old.value_in_business_hours);
  end if;
  if tg_op <> 'DELETE' then
    insert into report_rollup_deltas (account_id, source, at, inbox_id, user_id, n, value, value_bh)
      values (new.account_id, new.name, new.created_at, new.inbox_id, new.user_id, 1, new.value,
        new.value_in_business_hours);
  end if;
  return null;
end
$$;
create trigger reporting_events_report_rollup after insert or delete on reporting_events
  for each row execute function report_rollup_events_delta();
create trigger reporting_events_report_rollup_move
  after update of account_id, name, created_at, inbox_id, user_id, value, value_in_business_hours
  on reporting_events for each row
  when (old.account_id <> new.account_id or old.name <> new.name or old.created_at <> new.created_at
    or old.inbox_id is distinct from new.inbox_id or old.user_id is distinct from new.user_id
    or old.value is distinct from new.value or old.value_in_business_hours is distinct from new.value_in_business_hours)
  execute function report_rollup_events_delta();

-- Folds up to `batch` deltas (the oldest not locked by another node) into the rollups, each in
-- the rows of its three dimensions and two grains, and deletes them, in one statement; returns
-- how many it folded. Rows are upserted in key order, so two nodes folding at once lock rows in
-- the same order.
create function report_rollups_fold(batch integer) returns integer
language sql volatile set extra_float_digits = 1 as $$
  with d as (
    delete from report_rollup_deltas where id in (
      select id from report_rollup_deltas order by id limit batch for update skip locked)
    returning account_id, source, at, inbox_id, user_id, n, value, value_bh
  ),
  summed as (
    select d.account_id, d.source, k.dimension, g.grain, k.key,
      date_bin(make_interval(secs => g.grain), d.at, timestamptz '1970-01-01 00:00:00+00') as slot,
      sum(d.n) as n,
      coalesce(sum(d.n * d.value::text::numeric), 0) as total,
      coalesce(sum(d.n) filter (where d.value is not null), 0) as valued,
      coalesce(sum(d.n * d.value_bh::text::numeric), 0) as total_bh,
      coalesce(sum(d.n) filter (where d.value_bh is not null), 0) as valued_bh
    from d
    cross join lateral (values (0::smallint, 0::bigint), (1::smallint, d.inbox_id), (2::smallint, d.user_id)) k (dimension, key)
    cross join (values (900), (86400)) g (grain)
    where k.key is not null
    group by 1, 2, 3, 4, 5, 6
  ),
  folded as (
    insert into report_rollups as r (account_id, source, dimension, grain, key, slot, n, total, valued, total_bh, valued_bh)
    select * from summed order by account_id, source, dimension, grain, key, slot
    on conflict (account_id, source, dimension, grain, key, slot) do update set
      n = r.n + excluded.n, total = r.total + excluded.total, valued = r.valued + excluded.valued,
      total_bh = r.total_bh + excluded.total_bh, valued_bh = r.valued_bh + excluded.valued_bh
    returning 1
  )
  select count(*)::integer from d
$$;

-- Recounts an account's rollups (every account's when null) from its rows as they are, dropping
-- its deltas: the migration's backfill, and the one for data loaded without triggers (the reports
-- bench seeds with session_replication_role = replica). Run it where no writes are under way.
-- The rows are read once, summed per slot for the three dimensions at once (grouping sets), and
-- the day rows summed from the slot rows.
create function report_rollups_backfill(account bigint) returns void
language plpgsql volatile set extra_float_digits = 1 as $$
begin
  delete from report_rollup_deltas where account is null or account_id = account;
  delete from report_rollups where account is null or account_id = account;
  insert into report_rollups (account_id, source, dimension, grain, key, slot, n, total, valued, total_bh, valued_bh)
  select r.account_id, r.source,
    case when grouping(r.inbox_id) = 0 then 1 when grouping(r.user_id) = 0 then 2 else 0 end::smallint,
    900, coalesce(r.inbox_id, r.user_id, 0), r.slot, count(*), coalesce(sum(r.value::text::numeric), 0), count(r.value),
    coalesce(sum(r.value_bh::text::numeric), 0), count(r.value_bh)
  from (select x.*, date_bin(interval '900 seconds', x.at, timestamptz '1970-01-01 00:00:00+00') as slot from (
    select c.account_id, 'conversations' as source, c.created_at as at, c.inbox_id, c.assignee_id as user_id,
      null::float8 as value, null::float8 as value_bh
    from conversations c where account is null or c.account_id = account
    union all
    select m.account_id, case m.message_type when 0 then 'incoming_messages' else 'outgoing_messages' end,
      m.created_at, m.inbox_id, case when m.sender_type = 'User' then m.sender_id end, null, null
    from messages m where m.message_type in (0, 1) and (account is null or m.account_id = account)
    union all
    select e.account_id, e.name, e.created_at, e.inbox_id, e.user_id, e.value, e.value_in_business_hours
    from reporting_events e where account is null or e.account_id = account
  ) x) r
  group by grouping sets ((r.account_id, r.source, r.slot), (r.account_id, r.source, r.inbox_id, r.slot),
    (r.account_id, r.source, r.user_id, r.slot))
  -- a row without an inbox or a user counts for the account only
  having grouping(r.inbox_id) + grouping(r.user_id) = 2 or coalesce(r.inbox_id, r.user_id) is not null;
  insert into report_rollups (account_id, source, dimension, grain, key, slot, n, total, valued, total_bh, valued_bh)
  select account_id, source, dimension, 86400, key, date_bin(interval '1 day', slot, timestamptz '1970-01-01 00:00:00+00'),
    sum(n), sum(total), sum(valued), sum(total_bh), sum(valued_bh)
  from report_rollups where grain = 900 and (account is null or account_id = account)
  group by 1, 2, 3, 5, 6;
end
$$;

select report_rollups_backfill(null);
