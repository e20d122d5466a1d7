-- Contacts at a million (issue 23): GET /contacts's meta.count, the account's resolved contacts
-- (with an email, phone number or identifier), is read from counters the database keeps in the
-- transaction of every insert, update and delete, as conversation_counts does for conversations,
-- instead of counting the account's rows (229 ms at 1M).
--
-- An account's count is the sum of its rows. Inserts add to the row of their backend's slot
-- (pg_backend_pid() % 8), so concurrent writers of one account do not queue on one row until
-- they commit; decrements take any of the account's rows (a slot may go below zero, the sum
-- cannot). Inserts count per statement from the transition table, so a CSV import's thousands of
-- rows cost one upsert; updates count per row, and only rows whose resolvedness changes ever
-- reach the function (the trigger's WHEN is checked without calling it), so the message path's
-- last_activity_at updates cost nothing.
create table contact_counts (
  account_id bigint not null references accounts (id) on delete cascade,
  slot       smallint not null,
  n          bigint not null,
  primary key (account_id, slot)
);

insert into contact_counts (account_id, slot, n)
  select account_id, 0, count(*) from contacts
   where email is not null or phone_number is not null or identifier is not null
   group by account_id;

-- adds n to the account's count: to this backend's slot when positive, to any row otherwise
create function contact_counts_add(p_account_id bigint, p_n bigint) returns void language plpgsql as $$
begin
  if p_n > 0 then
    insert into contact_counts as c (account_id, slot, n) values (p_account_id, pg_backend_pid() % 8, p_n)
      on conflict (account_id, slot) do update set n = c.n + excluded.n;
  elsif p_n < 0 then
    -- no row left means the account itself is going (its rows go by cascade first)
    update contact_counts set n = n + p_n
     where account_id = p_account_id
       and slot = (select slot from contact_counts where account_id = p_account_id order by slot limit 1);
  end if;
end
$$;

-- a statement's inserted (or deleted) rows, counted once per account, in account order so two
-- statements over the same accounts lock their counter rows in one order
create function contact_counts_statement() returns trigger language plpgsql as $$
begin
  perform contact_counts_add(account_id, case tg_op when 'INSERT' then n else -n end) from (
    select account_id, count(*) as n from contact_counts_rows
     where email is not null or phone_number is not null or identifier is not null
     group by account_id order by account_id
  ) counted;
  return null;
end
$$;
create trigger contacts_counts_insert after insert on contacts
  referencing new table as contact_counts_rows
  for each statement execute function contact_counts_statement();
create trigger contacts_counts_delete after delete on contacts
  referencing old table as contact_counts_rows
  for each statement execute function contact_counts_statement();

create function contact_counts_updated() returns trigger language plpgsql as $$
begin
  if old.email is not null or old.phone_number is not null or old.identifier is not null then
    perform contact_counts_add(old.account_id, -1);
  end if;
  if new.email is not null or new.phone_number is not null or new.identifier is not null then
    perform contact_counts_add(new.account_id, 1);
  end if;
  return null;
end
$$;
create trigger contacts_counts_update after update on contacts
  for each row
  when ((old.email is not null or old.phone_number is not null or old.identifier is not null)
        is distinct from (new.email is not null or new.phone_number is not null or new.identifier is not null)
        or old.account_id is distinct from new.account_id)
  execute function contact_counts_updated();

-- POST /contacts/filter's identifier equal_to compares lower(identifier) (Chatwoot's
-- text_case_insensitive); the unique index is on the identifier as stored.
create index contacts_account_lower_identifier_idx on contacts (account_id, lower(identifier));
