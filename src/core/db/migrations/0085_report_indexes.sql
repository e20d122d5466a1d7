-- Reports (api/v2) count an account's conversations by creation time and its messages by type and
-- creation time over a range: both become index range scans (index-only once the table is vacuumed).
create index conversations_account_created_idx on conversations (account_id, created_at);
create index messages_account_type_created_idx on messages (account_id, message_type, created_at);
