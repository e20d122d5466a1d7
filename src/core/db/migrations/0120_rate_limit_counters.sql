-- Rate-limit counters shared by every node on this database (issue 23, item 7), used when no
-- REDIS_URL is set: one row per limited key (a client IP, a contact), counting the hits of its
-- current window, which opens with the key's first hit and lasts until expires_at.
--
-- UNLOGGED: a counter is worth nothing after a crash (the limits start over, as they would after
-- a window), and skipping the WAL keeps a hit to one cheap upsert. Rows of closed windows are
-- deleted by any node now and then; a hit on an expired row starts it over in place.
create unlogged table rate_limit_counters (
  key text primary key,
  hits integer not null,
  expires_at timestamptz not null
);

create index rate_limit_counters_expires_at on rate_limit_counters (expires_at);
