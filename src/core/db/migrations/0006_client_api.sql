-- Client API: CSAT survey answers (Chatwoot's csat_survey_responses), written when a contact
-- submits the rating of an input_csat message (PUT /public/api/v1/csat_survey/:uuid or the public
-- message update).

create table csat_survey_responses (
  id                bigserial primary key,
  account_id        bigint not null references accounts (id) on delete cascade,
  conversation_id   bigint not null references conversations (id) on delete cascade,
  -- one answer per survey message (CsatSurveys::ResponseBuilder updates it on a new rating)
  message_id        bigint not null unique references messages (id) on delete cascade,
  contact_id        bigint not null references contacts (id) on delete cascade,
  assigned_agent_id bigint references users (id) on delete set null,
  rating            integer not null,
  feedback_message  text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index csat_survey_responses_account_created_idx on csat_survey_responses (account_id, created_at);
create index csat_survey_responses_conversation_idx on csat_survey_responses (conversation_id);
