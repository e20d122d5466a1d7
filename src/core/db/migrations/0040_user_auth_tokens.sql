-- Devise's reset_password_token and confirmation_token, one of each per user at most (a new one
-- replaces the last, as devise overwrites the column). Only the SHA-256 digest is kept; the clear
-- token exists in the mail alone. A used confirmation token stays (used_at) so that a second use
-- answers "Already confirmed" as Chatwoot does; a used reset token is deleted.
create table user_auth_tokens (
  id           bigserial primary key,
  user_id      bigint not null references users (id) on delete cascade,
  purpose      text not null check (purpose in ('reset_password', 'confirmation')),
  token_digest bytea not null unique,
  expires_at   timestamptz not null,
  used_at      timestamptz,
  created_at   timestamptz not null default now(),
  unique (user_id, purpose)
);
