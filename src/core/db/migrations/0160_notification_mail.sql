-- Notification#process_notification_delivery's e-mail half: a notification whose type the user's
-- e-mail flags subscribe to (NotificationSetting, bit n-1 of email_flags for type n; a user without a
-- row has Chatwoot's default, conversation_assignment only) queues the notification_mail job
-- (tasks/notification-mail.ts) in the transaction that writes it. A trigger, because notifications
-- are written both by the transactional listeners and inside the one-statement message paths (0158).
-- Types 1-5 only: the SLA types (6-8) are mailed by Chatwoot's enterprise edition. A restore runs
-- with session_replication_role = replica, so old notifications queue nothing.
create function notifications_queue_mail() returns trigger language plpgsql as $$
begin
  if new.notification_type between 1 and 5
    and coalesce(
      (select s.email_flags from notification_settings s where s.account_id = new.account_id and s.user_id = new.user_id),
      2
    ) & (1 << (new.notification_type - 1)) <> 0 then
    perform graphile_worker.add_job('notification_mail', json_build_object('notification_id', new.id), max_attempts => 8);
  end if;
  return null;
end
$$;

create trigger notifications_queue_mail after insert on notifications
  for each row execute function notifications_queue_mail();
