-- Account auto-resolve looks every minute for the accounts that have it on (settings
-- auto_resolve_after), then walks each one's open conversations by last_activity_at on
-- conversations_account_status_activity_idx: neither step reads rows it will not use.
create index accounts_auto_resolve_idx on accounts (id) where (settings ->> 'auto_resolve_after') is not null;

-- Template messages (greetings, out-of-office replies, auto-resolve messages) are few: the hot
-- message path asks whether a conversation has had one (today) before it declines a contact's
-- message for the greeting listener, and this small index answers without reading the others.
create index messages_template_idx on messages (conversation_id, created_at) where message_type = 3;
