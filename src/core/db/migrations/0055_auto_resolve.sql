-- Account auto-resolve looks every minute for the accounts that have it on (settings
-- auto_resolve_after), then walks each one's open conversations by last_activity_at on
-- conversations_account_status_activity_idx: neither step reads rows it will not use.
create index accounts_auto_resolve_idx on accounts (id) where (settings ->> 'auto_resolve_after') is not null;
