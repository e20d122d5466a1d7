import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import type { Mailer } from '../core/mail/mailer.js';
import { prepareAuthMail } from '../domains/auth-mail/prepare.js';
import type { AuthMailKind } from '../domains/auth-mail/queue.js';

export { AUTH_MAIL } from '../domains/auth-mail/queue.js';

const KINDS: readonly AuthMailKind[] = ['confirmation_instructions', 'reset_password_instructions'];

/**
 * The `auth_mail` task: renders devise's confirmation (invitation) or reset mail with a fresh
 * token and sends it. A failed send throws, and graphile-worker tries again later; the retry
 * issues another token, so only the link of the mail that left works.
 */
export function authMailTask(deps: { db: Db; mailer: Mailer; frontendBase: () => string }): Task {
  return async (payload) => {
    const { kind, user_id: userId } = (payload ?? {}) as { kind?: unknown; user_id?: unknown };
    if (!KINDS.includes(kind as AuthMailKind) || !Number.isSafeInteger(userId)) return;
    const mail = await prepareAuthMail(deps.db, deps.frontendBase(), kind as AuthMailKind, userId as number);
    if (mail) await deps.mailer.send(mail);
  };
}
