-- The webhook drainer's candidates (0155, 0158), read in time that does not grow with the backlog.
--
-- 1. The generic plan PL/pgSQL keeps (per connection) was not always the index scan 0155 meant: a
--    connection that planned it while the table held a backlog (a node started during one) found
--    `url <> all($2)`, its array unknown, likely to keep one row, and a sequential scan with a
--    top-N sort of one row the cheaper guess. It read every pending row: 4.6 ms a claim at 15,000
--    pending against 0.27 ms by the index. enable_seqscan off leaves it the index.
-- 2. A claim that leaves out URLs (the node holds its fill of them) read, in time order, every due
--    row of those URLs before any other's: with one receiver's backlog of 15,000 and that receiver
--    full, each wake (a NOTIFY per message queued) scanned all of it to claim nothing (2.5 ms).
--    Such a claim now goes URL by URL: the URLs with pending rows, by a skip scan of an index led
--    by the URL, and each URL not left out gives its oldest due rows. Its cost grows with the
--    number of URLs that have pending rows (12 ms a claim with 2,000 of them), which is why a claim
--    that leaves nothing out keeps the time-ordered scan, which stops after `lim` rows.
create index webhook_deliveries_url_due_idx on webhook_deliveries (url, next_attempt_at) where status = 'pending';

create or replace function webhook_deliveries_candidates(me text, skip_urls text[], lim integer)
returns table (id uuid, url text, locked_by text, next_attempt_at timestamptz)
language plpgsql volatile
set enable_bitmapscan = off set enable_seqscan = off set plan_cache_mode = force_generic_plan as $$
begin
  if cardinality(skip_urls) = 0 then
    return query
      select d.id, d.url, d.locked_by, d.next_attempt_at from webhook_deliveries d
      where d.status = 'pending' and d.next_attempt_at <= now() and d.payload is not null
        and (d.locked_by is null or (d.locked_by <> me
          and pg_try_advisory_xact_lock(('x' || left(md5(d.locked_by), 16))::bit(64)::bigint)))
      order by d.next_attempt_at limit lim;
  else
    return query
      with recursive urls as (
        select min(w.url) as url from webhook_deliveries w where w.status = 'pending'
        union all
        select (select min(w.url) from webhook_deliveries w where w.status = 'pending' and w.url > urls.url)
        from urls where urls.url is not null
      )
      select c.id, c.url, c.locked_by, c.next_attempt_at
      from urls cross join lateral (
        -- ordered by the URL too, so that the plan reads the URL's own index range
        select d.id, d.url, d.locked_by, d.next_attempt_at from webhook_deliveries d
        where d.status = 'pending' and d.url = urls.url and d.next_attempt_at <= now() and d.payload is not null
          and (d.locked_by is null or (d.locked_by <> me
            and pg_try_advisory_xact_lock(('x' || left(md5(d.locked_by), 16))::bit(64)::bigint)))
        order by d.url, d.next_attempt_at limit lim
      ) c
      where urls.url is not null and urls.url <> all(skip_urls)
      order by c.next_attempt_at limit lim;
  end if;
end
$$;
