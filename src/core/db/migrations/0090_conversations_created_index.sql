-- Reports (api/v2 summary reports, conversation traffic) count an account's conversations created
-- in a time window; the existing indexes order them by activity, not creation. 0085 (the timeseries
-- reports, built alongside) creates the same index first.
create index if not exists conversations_account_created_idx on conversations (account_id, created_at);
