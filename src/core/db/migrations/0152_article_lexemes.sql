-- Searches of several words at 100,000 articles (issue 24). Every word is a prefix (pg_search's
-- `prefix: true`), and GIN answers a prefix by reading the posting lists of every lexeme it covers
-- into one bitmap before it can intersect: "kaloren mito" read all 24,000 rows of the 19 lexemes
-- under `mito` (twice: once per locale dictionary) to find 25 (p99 67 ms). Given the lexemes
-- themselves, as exact alternatives, GIN intersects by skipping through the rarest list (6 ms).
-- search.ts expands a prefix from this list of every lexeme an account's articles have had.
--
-- Lexemes are only ever added: one no article has any more matches nothing, so it costs a search
-- a longer alternation, never a wrong result. "C" collation, so a prefix's lexemes are one range.
create table article_lexemes (
  account_id bigint not null references accounts (id) on delete cascade,
  lexeme     text collate "C" not null,
  primary key (account_id, lexeme)
);

insert into article_lexemes (account_id, lexeme)
  select distinct a.account_id, l.lexeme from articles a, unnest(tsvector_to_array(a.search_vector)) l(lexeme);

-- In lexeme order, so two transactions adding the same new lexemes wait for each other rather
-- than deadlock.
create function article_lexemes_add() returns trigger language plpgsql as $$
begin
  if tg_level = 'STATEMENT' then
    insert into article_lexemes (account_id, lexeme)
      select distinct a.account_id, l.lexeme from added a, unnest(tsvector_to_array(a.search_vector)) l(lexeme)
       order by 1, 2
      on conflict do nothing;
  else
    insert into article_lexemes (account_id, lexeme)
      select distinct new.account_id, l.lexeme from unnest(tsvector_to_array(new.search_vector)) l(lexeme)
       order by 1, 2
      on conflict do nothing;
  end if;
  return null;
end $$;

-- inserts per statement (a bulk insert is one set-based upsert); updates per row, and only those
-- whose text changed reach the function, so a page view's `views + 1` costs nothing
create trigger articles_lexemes_inserted after insert on articles
  referencing new table as added for each statement execute function article_lexemes_add();
create trigger articles_lexemes_updated after update on articles
  for each row when (old.search_vector is distinct from new.search_vector) execute function article_lexemes_add();
