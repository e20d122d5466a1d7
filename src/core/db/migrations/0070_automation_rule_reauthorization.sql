-- Chatwoot's Reauthorizable on AutomationRule: a rule whose conditions no longer validate when it
-- is evaluated (ConditionValidationService: a key without that operator, a custom attribute that is
-- gone) counts an authorization error; at the threshold it is flagged reauthorization_required and
-- deactivated, and the administrators are told by mail. Chatwoot keeps both in Redis; here they are
-- the rule's columns. Changing the rule's conditions clears them (after_update_commit :reauthorized!).
alter table automation_rules
  add column authorization_error_count integer not null default 0,
  add column reauthorization_required boolean not null default false;
