-- Report rollups and their pending deltas keep no foreign key to accounts: the triggers that write
-- deltas fire while an account's conversations and messages are deleted by its cascade, so a key
-- would refuse the account's own deletion. Their rows go when the transaction that deleted the
-- account commits instead (a deferred trigger runs after the cascade and its delta rows).
create function report_rollups_forget_account() returns trigger language plpgsql as $$
begin
  delete from report_rollup_deltas where account_id = old.id;
  delete from report_rollups where account_id = old.id;
  return null;
end
$$;

create constraint trigger accounts_forget_report_rollups after delete on accounts
  deferrable initially deferred for each row execute function report_rollups_forget_account();

-- accounts deleted before this migration left theirs behind
delete from report_rollup_deltas d where not exists (select 1 from accounts a where a.id = d.account_id);
delete from report_rollups r where not exists (select 1 from accounts a where a.id = r.account_id);
