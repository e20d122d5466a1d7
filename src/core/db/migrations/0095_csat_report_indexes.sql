-- CSAT reports (GET /csat_survey_responses, /metrics, /download). The list and the metrics read an
-- account's responses over a time range, counted by rating: the range index carries the rating, so
-- the count reads no table rows. Filtering by agents (user_ids[]) scans only their responses; the
-- index also serves the assigned_agent_id foreign key (a user's deletion sets it to null).
create index csat_survey_responses_account_created_rating_idx
  on csat_survey_responses (account_id, created_at) include (rating);
drop index csat_survey_responses_account_created_idx;
create index csat_survey_responses_account_agent_created_idx
  on csat_survey_responses (account_id, assigned_agent_id, created_at) include (rating);
-- total_sent_messages_count: the account's CSAT survey messages (content_type 9, input_csat) in
-- the range; a partial index, as few messages are surveys.
create index messages_input_csat_idx on messages (account_id, created_at) where content_type = 9;
