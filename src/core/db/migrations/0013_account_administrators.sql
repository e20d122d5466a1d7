-- Every realtime event goes to the account's administrators too; an account may have thousands
-- of agents and a handful of administrators, so they get an index of their own.
create index account_users_administrators_idx on account_users (account_id, user_id) where role = 1;
