-- Webhook deliveries are drained in batches (tasks/webhook-drain.ts) instead of one job each: a
-- node claims due rows (locked_by = its drainer's id, which it holds an advisory lock on, so the
-- claims of a node that died come back at once), posts them, and writes the outcomes back in one
-- statement. A retry waits in next_attempt_at. An insert wakes the drainers (NOTIFY, once per
-- transaction: PostgreSQL folds identical notifications of one transaction).
alter table webhook_deliveries
  add column next_attempt_at timestamptz not null default now(),
  add column locked_by text;

create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';

create function webhook_deliveries_wake() returns trigger language plpgsql as $$
begin
  perform pg_notify('confab_webhook_deliveries', '');
  return null;
end $$;

create trigger webhook_deliveries_wake after insert on webhook_deliveries
  for each statement execute function webhook_deliveries_wake();
