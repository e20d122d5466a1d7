import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import type { Mailer } from '../core/mail/mailer.js';
import { prepareNotificationMail } from '../domains/notification-mail/prepare.js';

/** Queued by the notifications_queue_mail trigger (migration 0160). */
export const NOTIFICATION_MAIL = 'notification_mail';

/**
 * The `notification_mail` task: mails a notification to its agent. Only over SMTP, as Chatwoot's
 * mailer (smtp_config_set_or_development?): without it these are not written to the log, unlike
 * devise's mails, whose links are the way in. A failed send throws, and graphile-worker tries again.
 */
export function notificationMailTask(deps: { db: Db; mailer: Mailer; frontendBase: () => string }): Task {
  return async (payload) => {
    const id = (payload as { notification_id?: unknown } | null)?.notification_id;
    if (!deps.mailer.smtp || !Number.isSafeInteger(id)) return;
    const mail = await prepareNotificationMail(deps.db, deps.frontendBase(), id as number);
    if (mail) await deps.mailer.send(mail);
  };
}
