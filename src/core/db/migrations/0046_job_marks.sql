-- What a durable job has already done, one row per piece of work, written in the transaction that
-- does it: a job retried after a partial failure skips what committed before (a macro run on twenty
-- conversations that failed on the twelfth does not send its message to the first eleven again).
create table job_marks (
  key        text primary key,
  created_at timestamptz not null default now()
);
create index job_marks_created_at_idx on job_marks (created_at);
