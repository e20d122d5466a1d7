-- Conversation drafts (Api::V1::Accounts::Conversations::DraftMessagesController). Chatwoot keeps
-- one per user and conversation in Redis (CONVERSATION::DRAFT_MESSAGE); here they are rows, kept
-- with the account, conversation and user they belong to and gone with any of them.
create table draft_messages (
  account_id      bigint not null references accounts (id) on delete cascade,
  conversation_id bigint not null references conversations (id) on delete cascade,
  user_id         bigint not null references users (id) on delete cascade,
  -- bounded like a message's content (Message validates 150,000 characters)
  message         text not null check (char_length(message) <= 150000),
  updated_at      timestamptz not null default now(),
  primary key (conversation_id, user_id)
);

