-- Uploaded files outside messages (Chatwoot's ActiveStorage blobs): avatars of users, contacts,
-- agent bots and inboxes, files from POST /upload, and direct uploads (a row first, bytes later).
-- account_id is null for blobs of installation-wide owners (users, global agent bots).
create table blobs (
  id bigserial primary key,
  account_id bigint references accounts(id) on delete cascade,
  key text not null unique,
  filename text not null,
  content_type text not null,
  byte_size bigint not null,
  checksum text,
  uploaded boolean not null default true,
  -- a direct upload's PUT target: the SHA-256 of its one-time token (the token itself is never kept)
  upload_token_digest text unique,
  created_at timestamptz not null default now()
);
create index blobs_account_id_idx on blobs (account_id);

-- the avatar a row carries (its avatar_url is then this blob's URL); null: none, or an external URL
alter table users add column avatar_blob_id bigint references blobs(id) on delete set null;
alter table contacts add column avatar_blob_id bigint references blobs(id) on delete set null;
alter table agent_bots add column avatar_blob_id bigint references blobs(id) on delete set null;
alter table inboxes add column avatar_blob_id bigint references blobs(id) on delete set null;
