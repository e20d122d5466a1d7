-- An SLA miss's notification names the policy as its secondary actor (SlaEvent#create_notifications:
-- secondary_actor: sla_policy), so NotificationActorType gains SlaPolicy. Like the other secondary
-- actors it is a plain id: a deleted policy leaves the notification with none to show.
alter table notifications drop constraint notifications_secondary_actor_type_check;
alter table notifications add constraint notifications_secondary_actor_type_check
  check (secondary_actor_type in ('Message', 'User', 'AgentBot', 'SlaPolicy'));
