import type { Db } from '../db/kysely.js';
import type { UserAuthTokenPurpose } from '../db/schema.js';
import { generateSecureToken, tokenDigest, tokenMatches } from './secure-token.js';

/** Devise's reset_password_within in Chatwoot's initializer. */
export const RESET_PASSWORD_WITHIN_MS = 6 * 60 * 60 * 1000;
/**
 * Confirmation links and the set-password link of an invitation. Chatwoot sets no confirm_within
 * (its links never expire); ours do, and a new one is a resend away.
 */
export const CONFIRM_WITHIN_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Issues a user's reset or confirmation token, replacing the previous one of that purpose (devise
 * keeps one per column). Returns the clear token, which only the mail carries; the database keeps
 * its SHA-256.
 */
export async function issueUserAuthToken(
  db: Db,
  userId: number,
  purpose: UserAuthTokenPurpose,
  lifetimeMs: number,
): Promise<string> {
  const token = generateSecureToken(32);
  const values = {
    token_digest: tokenDigest(token),
    expires_at: new Date(Date.now() + lifetimeMs),
    used_at: null,
    created_at: new Date(),
  };
  await db
    .insertInto('user_auth_tokens')
    .values({ user_id: userId, purpose, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'purpose']).doUpdateSet(values))
    .execute();
  return token;
}

export interface FoundUserAuthToken {
  id: number;
  userId: number;
  expired: boolean;
  used: boolean;
}

/**
 * The token row a presented token names, used or expired ones included (the caller tells them
 * apart for its answer). Locked for update: two requests cannot both consume one token.
 */
export async function findUserAuthToken(
  db: Db,
  presented: string,
  purpose: UserAuthTokenPurpose,
): Promise<FoundUserAuthToken | undefined> {
  if (!presented || presented.length > 256) return undefined;
  const row = await db
    .selectFrom('user_auth_tokens')
    .select(['id', 'user_id', 'token_digest', 'expires_at', 'used_at'])
    .where('token_digest', '=', tokenDigest(presented))
    .where('purpose', '=', purpose)
    .forUpdate()
    .executeTakeFirst();
  if (!row || !tokenMatches(presented, row.token_digest)) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    expired: new Date(row.expires_at).getTime() <= Date.now(),
    used: row.used_at !== null,
  };
}

export async function markUserAuthTokenUsed(db: Db, id: number): Promise<void> {
  await db.updateTable('user_auth_tokens').set({ used_at: new Date() }).where('id', '=', id).execute();
}

/** Forgets a user's tokens of these purposes (a reset spends both, as Chatwoot clears both columns). */
export async function deleteUserAuthTokens(db: Db, userId: number, purposes: UserAuthTokenPurpose[]): Promise<void> {
  await db.deleteFrom('user_auth_tokens').where('user_id', '=', userId).where('purpose', 'in', purposes).execute();
}
