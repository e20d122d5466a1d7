-- The replay store's GIN index on streams (0007) collected new entries in a pending list, which
-- the inserting backend merges into the index once it passes gin_pending_list_limit (4 MB): at a
-- few hundred replies a second that was every second or two, a stall of tens of milliseconds
-- (90 ms measured) inside realtime_store, under the lock every broadcast takes — the delivery
-- latency's worst percentile. Without the pending list each insert updates the index itself: a
-- little more work per row, spread evenly (the longest store measured fell from 91 to 23 ms).
alter index realtime_events_streams_idx set (fastupdate = off);
