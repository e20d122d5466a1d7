import type { Db } from '../../core/db/kysely.js';
import type { Mail } from '../../core/mail/mailer.js';
import { CONFIRM_WITHIN_MS, issueUserAuthToken, RESET_PASSWORD_WITHIN_MS } from '../../core/tokens/user-auth-tokens.js';
import type { AuthMailKind } from './queue.js';
import { confirmationInstructionsMail, resetPasswordInstructionsMail } from './templates.js';

/** Chatwoot's frontend_url helper: the dashboard path under /app, with its query. */
function frontendUrl(base: string, path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${base}/app/${path}${search ? `?${search}` : ''}`;
}

/** The first membership (Chatwoot's account_users.first), with who invited the user to it. */
async function firstInvitation(db: Db, userId: number) {
  const row = await db
    .selectFrom('account_users as au')
    .innerJoin('accounts as a', 'a.id', 'au.account_id')
    .leftJoin('users as inviter', 'inviter.id', 'au.inviter_id')
    .select(['a.name as account_name', 'inviter.name as inviter_name'])
    .where('au.user_id', '=', userId)
    .orderBy('au.id')
    .limit(1)
    .executeTakeFirst();
  return row?.inviter_name ? { inviterName: row.inviter_name, accountName: row.account_name } : undefined;
}

/**
 * Renders a queued devise mail for the user as they are now, issuing the token its link carries
 * (which replaces any earlier one of that kind). Undefined when the user is gone.
 */
export async function prepareAuthMail(
  db: Db,
  frontendBase: string,
  kind: AuthMailKind,
  userId: number,
): Promise<Mail | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'confirmed_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  if (kind === 'reset_password_instructions') {
    const token = await issueUserAuthToken(db, user.id, 'reset_password', RESET_PASSWORD_WITHIN_MS);
    return resetPasswordInstructionsMail({
      to: user.email,
      link: frontendUrl(frontendBase, 'auth/password/edit', { reset_password_token: token }),
    });
  }
  const confirmed = user.confirmed_at !== null;
  const invitation = await firstInvitation(db, user.id);
  let link: string;
  if (confirmed) link = frontendUrl(frontendBase, 'auth/sign_in');
  else if (invitation) {
    // an invited agent has no password yet: the link sets one (and so confirms the address)
    const token = await issueUserAuthToken(db, user.id, 'reset_password', CONFIRM_WITHIN_MS);
    link = frontendUrl(frontendBase, 'auth/password/edit', { reset_password_token: token });
  } else {
    const token = await issueUserAuthToken(db, user.id, 'confirmation', CONFIRM_WITHIN_MS);
    link = frontendUrl(frontendBase, 'auth/confirmation', { confirmation_token: token });
  }
  return confirmationInstructionsMail({ to: user.email, name: user.name, confirmed, invitation, link });
}
