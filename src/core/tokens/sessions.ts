import { randomBytes } from 'node:crypto';
import type { Db } from '../db/kysely.js';
import type { User } from '../db/schema.js';
import { tokenDigest, tokenMatches } from './secure-token.js';

/** devise_token_auth as Chatwoot configures it: tokens live two months, no rotation per request. */
const TOKEN_LIFESPAN_MS = 60 * 24 * 60 * 60 * 1000;
/** Chatwoot's max_number_of_devices: the oldest sessions beyond this are dropped. */
const MAX_SESSIONS = 25;

export interface SessionHeaders {
  'access-token': string;
  'token-type': 'Bearer';
  client: string;
  expiry: string;
  uid: string;
  authorization: string;
}

const urlsafeToken = () => randomBytes(16).toString('base64url');

/** Creates a session for the user and returns devise_token_auth's response headers. */
export async function createSession(db: Db, user: User): Promise<SessionHeaders> {
  const token = urlsafeToken();
  const client = urlsafeToken();
  const expiresAt = new Date(Date.now() + TOKEN_LIFESPAN_MS);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('user_sessions')
      .values({ user_id: user.id, client, token_digest: tokenDigest(token), expires_at: expiresAt })
      .execute();
    const keep = tx
      .selectFrom('user_sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .orderBy('updated_at', 'desc')
      .limit(MAX_SESSIONS);
    await tx.deleteFrom('user_sessions').where('user_id', '=', user.id).where('id', 'not in', keep).execute();
  });
  return sessionHeaders(user, token, client, expiresAt);
}

function sessionHeaders(user: User, token: string, client: string, expiresAt: Date): SessionHeaders {
  const expiry = String(Math.floor(expiresAt.getTime() / 1000));
  const fields = { 'access-token': token, 'token-type': 'Bearer' as const, client, expiry, uid: user.email };
  return { ...fields, authorization: `Bearer ${Buffer.from(JSON.stringify(fields)).toString('base64')}` };
}

export interface PresentedSession {
  token: string;
  client: string;
  uid: string;
}

/** Reads `access-token`, `client`, `uid`, or the Base64 JSON in `Authorization: Bearer`. */
export function presentedSession(headers: Record<string, string | string[] | undefined>): PresentedSession | undefined {
  const one = (name: string) => {
    const value = headers[name];
    return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  };
  const token = one('access-token');
  const client = one('client');
  const uid = one('uid');
  if (token && client && uid) return { token, client, uid };
  const bearer = /^Bearer\s+(.+)$/i.exec(one('authorization') ?? '')?.[1];
  if (!bearer) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(bearer, 'base64').toString('utf8')) as Record<string, unknown>;
    const [t, c, u] = [decoded['access-token'], decoded.client, decoded.uid];
    return typeof t === 'string' && typeof c === 'string' && typeof u === 'string'
      ? { token: t, client: c, uid: u }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The user the session headers belong to, if they are valid and unexpired. */
export async function findSessionUser(
  db: Db,
  presented: PresentedSession,
): Promise<{ user: User; sessionId: number } | undefined> {
  const row = await db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select([
      'user_sessions.id as session_id',
      'user_sessions.token_digest',
      'user_sessions.expires_at',
      'users.id as uid_user',
    ])
    .where('user_sessions.client', '=', presented.client)
    .where((eb) => eb(eb.fn('lower', ['users.email']), '=', presented.uid.toLowerCase()))
    .executeTakeFirst();
  if (!row || new Date(row.expires_at) < new Date() || !tokenMatches(presented.token, row.token_digest))
    return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', row.uid_user).executeTakeFirstOrThrow();
  return { user, sessionId: row.session_id };
}

export async function deleteSession(db: Db, sessionId: number): Promise<void> {
  await db.deleteFrom('user_sessions').where('id', '=', sessionId).execute();
}

/** Password changes sign out every other device (remove_tokens_after_password_reset). */
export async function deleteOtherSessions(db: Db, userId: number, keepClient?: string): Promise<void> {
  let query = db.deleteFrom('user_sessions').where('user_id', '=', userId);
  if (keepClient) query = query.where('client', '!=', keepClient);
  await query.execute();
}
