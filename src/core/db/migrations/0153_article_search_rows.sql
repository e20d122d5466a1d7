-- A common word's search at 100,000 articles (issue 24): the articles index counts a search's
-- matches by status and author and orders them, so it reads every match's row, and GIN finds
-- "billing" in 10,000 articles on 10,000 of the table's 25,000 pages (an article row is ~1.8 kB,
-- most of it the content and the search vector): ~1.7 µs a page, 19 ms of the request's 40.
--
-- These rows carry only what the search filters, counts and orders by, and a stripped copy of the
-- vector (no positions or weights: the searches ask neither) for their own GIN index. The vector is
-- kept out of line, in the TOAST table: a match found by exact lexemes is not checked again on the
-- row, so its row is read but not its vector, and the heap is ~125 bytes a row (1,539 pages at
-- 100,000; the same count 19 → 6 ms). PostgreSQL only starts moving values out of a row that is
-- over ~2 kB, whatever toast_tuple_target says, and then moves them until the row is under that
-- target: toast_start, 2 kB of spaces that compress to a few bytes, makes every new row start it.
-- An update only moves values out when the version it replaces had one out of line (not so when
-- the old vector was too small to move), so the trigger replaces a changed article's row (delete
-- and insert): every version is a new row, and starts it.
create table article_search_rows (
  article_id  bigint primary key references articles (id) on delete cascade,
  account_id  bigint not null,
  portal_id   bigint not null,
  category_id bigint,
  author_id   bigint,
  status      smallint not null,
  position    integer,
  locale      text not null,
  updated_at  timestamptz not null,
  vector      tsvector not null,
  toast_start text generated always as (repeat(' ', 2048)) stored
) with (toast_tuple_target = 128);
alter table article_search_rows alter column vector set storage external;

insert into article_search_rows (article_id, account_id, portal_id, category_id, author_id, status, position,
    locale, updated_at, vector)
  select id, account_id, portal_id, category_id, author_id, status, position, locale, updated_at,
         strip(coalesce(search_vector, ''::tsvector))
    from articles;

create index article_search_rows_vector_idx on article_search_rows using gin (vector) with (fastupdate = off);

create function article_search_rows_sync() returns trigger language plpgsql as $$
begin
  if tg_level = 'STATEMENT' then
    insert into article_search_rows (article_id, account_id, portal_id, category_id, author_id, status,
        position, locale, updated_at, vector)
      select a.id, a.account_id, a.portal_id, a.category_id, a.author_id, a.status, a.position, a.locale,
             a.updated_at, strip(coalesce(a.search_vector, ''::tsvector))
        from added a;
  else
    delete from article_search_rows where article_id = new.id;
    insert into article_search_rows (article_id, account_id, portal_id, category_id, author_id, status,
        position, locale, updated_at, vector)
      values (new.id, new.account_id, new.portal_id, new.category_id, new.author_id, new.status, new.position,
              new.locale, new.updated_at, strip(coalesce(new.search_vector, ''::tsvector)));
  end if;
  return null;
end $$;

-- inserts per statement (a bulk insert is one insert here); updates per row, and only those that
-- change a copied column reach the function, so a page view's `views + 1` costs nothing; deletes
-- by the foreign key's cascade
create trigger articles_search_rows_inserted after insert on articles
  referencing new table as added for each statement execute function article_search_rows_sync();
create trigger articles_search_rows_updated after update on articles
  for each row when ((old.account_id, old.portal_id, old.category_id, old.author_id, old.status, old.position,
                      old.locale, old.updated_at, old.search_vector)
                     is distinct from (new.account_id, new.portal_id, new.category_id, new.author_id, new.status,
                      new.position, new.locale, new.updated_at, new.search_vector))
  execute function article_search_rows_sync();
