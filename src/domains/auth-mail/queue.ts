import type { Db } from '../../core/db/kysely.js';
import { addJob } from '../../core/jobs/runner.js';

/** The graphile-worker task that renders and sends devise's mails (tasks/auth-mail.ts). */
export const AUTH_MAIL = 'auth_mail';

export type AuthMailKind = 'confirmation_instructions' | 'reset_password_instructions';

/** graphile-worker backs off exp(attempt) seconds: eight tries span about three hours. */
const MAX_ATTEMPTS = 8;

/**
 * Queues a devise mail inside the caller's transaction, so it exists exactly when the change that
 * causes it commits. The job holds no token: the task issues one when it sends, so a clear token
 * is never stored, not even in the queue.
 */
export async function queueAuthMail(db: Db, kind: AuthMailKind, userId: number): Promise<void> {
  await addJob(db, AUTH_MAIL, { kind, user_id: userId }, { maxAttempts: MAX_ATTEMPTS });
}
