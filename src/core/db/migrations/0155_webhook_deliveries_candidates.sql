-- The webhook drainer's candidates (tasks/webhook-drain-queries.ts claimDeliveries), read by a
-- plain index scan. A delivered row's old version leaves a dead entry in the due index (its status
-- was 'pending'), and PostgreSQL planned the few due rows as a bitmap scan, which visits every
-- entry's heap page and marks none of them dead: each claim visited every row delivered since the
-- last vacuum (0.5–1 ms a claim at 1,000 deliveries, growing until autovacuum came). A plain index
-- scan marks the entries of rows dead to everyone as it passes, so the next claims skip them
-- (1.1 ms once, then 0.02 ms). A function's SET applies to the planning of its statement.
--
-- Planned once per connection (PL/pgSQL keeps the plan; a generic one): planning it each time cost
-- more than running it, as estimating `next_attempt_at <= now()` reads the index's live end past
-- the same dead entries (1.8 ms and 506 buffers a claim, the scan itself 0.02 ms and one buffer).
--
-- A row is free when no drainer has it, or when its drainer's advisory lock can be taken (that node
-- is gone): the key is core/jobs/liveness.ts lockKeyOf(locked_by), spelled out here.
create function webhook_deliveries_candidates(me text, skip_urls text[], lim integer)
returns table (id uuid, url text, locked_by text, next_attempt_at timestamptz)
language plpgsql volatile set enable_bitmapscan = off set plan_cache_mode = force_generic_plan as $$
begin
  return query
    select d.id, d.url, d.locked_by, d.next_attempt_at from webhook_deliveries d
    where d.status = 'pending' and d.next_attempt_at <= now() and d.url <> all(skip_urls)
      and (d.locked_by is null or (d.locked_by <> me
        and pg_try_advisory_xact_lock(('x' || left(md5(d.locked_by), 16))::bit(64)::bigint)))
    order by d.next_attempt_at limit lim;
end
$$;
