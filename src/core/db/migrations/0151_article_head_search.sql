-- A search's rank at 100,000 articles (issue 24): ts_rank over every match of a common word (10,000
-- rows) cost as much as finding them. The articles index ranks the matches in the title or
-- description (weights A and B, which outrank any match in the content alone) and orders the others
-- as the list does; this index finds those head matches without reading the rest. The expression is
-- the head of articles.search_vector, and queries must spell it the same (search.ts headVector).
create index articles_head_search_idx on articles using gin ((
  setweight(to_tsvector(help_center_ts_config(locale), coalesce(title, '')), 'A') ||
  setweight(to_tsvector(help_center_ts_config(locale), coalesce(description, '')), 'B')
)) with (fastupdate = off);

-- The list's order is `updated_at desc, id desc`; the index had id ascending, so it could not give
-- that order and the first page sorted the whole portal (a parallel scan of 100,000 rows, ~200 ms).
drop index articles_portal_updated_idx;
create index articles_portal_updated_idx on articles (portal_id, updated_at desc, id desc);
