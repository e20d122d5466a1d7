-- The label-count deltas (0154) go with their account, as the report deltas do (0147): they keep no
-- foreign key, since the triggers that write them fire while the account's conversations are
-- deleted by its cascade; a deferred trigger deletes them once the cascade has run. (The fold drops
-- any it finds of a gone account too, but the account's deletion leaves nothing behind itself.)
create function label_count_deltas_forget_account() returns trigger language plpgsql as $$
begin
  delete from conversation_label_count_deltas where account_id = old.id;
  return null;
end
$$;

create constraint trigger accounts_forget_label_count_deltas after delete on accounts
  deferrable initially deferred for each row execute function label_count_deltas_forget_account();
