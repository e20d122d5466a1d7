-- A message belongs to its conversation, and the conversation to its account and inbox; deleting
-- either cascades through the conversation to its messages. messages' own foreign keys to
-- accounts and inboxes added nothing but a KEY SHARE lock on the account's row per inserted
-- message: with many contacts writing into one account at once, those locks pile up as
-- multixacts on that one row. The columns stay (every query filters by account).
alter table messages drop constraint messages_account_id_fkey, drop constraint messages_inbox_id_fkey;
