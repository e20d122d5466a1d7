-- Help-center counts at 100,000 articles (issue 24): the portals index (articles per locale), the
-- public pages (published articles per portal and per category) and the articles index without a
-- search (counts by status, the caller's own) read these counters, which the database keeps in the
-- transaction of every insert, update and delete, instead of counting the portal's rows (41 ms for
-- GET /portals at 100k).
--
-- One row per combination of the columns those counts filter on; a missing category or author is
-- 0 (so the key has no nulls). Writes to articles are an editor's, rare next to reads, so one row
-- per key is enough (no per-backend slots as contact_counts has). Inserts and deletes count per
-- statement from the transition table (a bulk import costs one upsert per key); updates count per
-- row, and only rows whose counted columns change reach the function (the trigger's WHEN is
-- checked without calling it), so a page view's `views + 1` costs nothing.
create table article_counts (
  portal_id   bigint not null references portals (id) on delete cascade,
  locale      text not null,
  category_id bigint not null,
  author_id   bigint not null,
  status      smallint not null,
  n           bigint not null,
  primary key (portal_id, locale, category_id, author_id, status)
);

insert into article_counts (portal_id, locale, category_id, author_id, status, n)
  select portal_id, locale, coalesce(category_id, 0), coalesce(author_id, 0), status, count(*)
    from articles group by 1, 2, 3, 4, 5;

-- adds n to a key's count: an upsert when positive; when negative only an update, since no row
-- means its portal is going (the counters go by cascade, maybe before the articles)
create function article_counts_add(
  p_portal_id bigint, p_locale text, p_category_id bigint, p_author_id bigint, p_status smallint, p_n bigint
) returns void language plpgsql as $$
begin
  if p_n > 0 then
    insert into article_counts as c (portal_id, locale, category_id, author_id, status, n)
      values (p_portal_id, p_locale, coalesce(p_category_id, 0), coalesce(p_author_id, 0), p_status, p_n)
      on conflict (portal_id, locale, category_id, author_id, status) do update set n = c.n + excluded.n;
  elsif p_n < 0 then
    update article_counts set n = n + p_n
     where portal_id = p_portal_id and locale = p_locale and category_id = coalesce(p_category_id, 0)
       and author_id = coalesce(p_author_id, 0) and status = p_status;
  end if;
end
$$;

-- a statement's inserted (or deleted) rows, counted once per key, in key order so two statements
-- over the same keys lock their counter rows in one order
create function article_counts_statement() returns trigger language plpgsql as $$
begin
  perform article_counts_add(portal_id, locale, category_id, author_id, status,
                             case tg_op when 'INSERT' then n else -n end)
     from (select portal_id, locale, category_id, author_id, status, count(*) as n
             from article_counts_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5) counted;
  return null;
end
$$;
create trigger articles_counts_insert after insert on articles
  referencing new table as article_counts_rows
  for each statement execute function article_counts_statement();
create trigger articles_counts_delete after delete on articles
  referencing old table as article_counts_rows
  for each statement execute function article_counts_statement();

create function article_counts_updated() returns trigger language plpgsql as $$
begin
  perform article_counts_add(old.portal_id, old.locale, old.category_id, old.author_id, old.status, -1);
  perform article_counts_add(new.portal_id, new.locale, new.category_id, new.author_id, new.status, 1);
  return null;
end
$$;
create trigger articles_counts_update after update on articles
  for each row
  when ((old.portal_id, old.locale, old.category_id, old.author_id, old.status)
        is distinct from (new.portal_id, new.locale, new.category_id, new.author_id, new.status))
  execute function article_counts_updated();

-- a category's counts (the categories list, the public pages)
create index article_counts_category_idx on article_counts (category_id) where category_id <> 0;
