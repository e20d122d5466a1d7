import { sql, type Compilable } from 'kysely';
import type { Db } from '../db/kysely.js';
import { PREPARED_MARK, PreparedOnce, type Slots } from '../db/prepared.js';
import { accountFromJson, accountUserFromJson } from '../db/json-rows.js';
import type { Account, AccountUser, TokenOwnerType, User } from '../db/schema.js';
import { generateSecureToken, tokenDigest, tokenMatches } from './secure-token.js';

/** Creates (or replaces) the owner's access token, as Chatwoot's AccessTokenable does on create. */
export async function issueAccessToken(db: Db, ownerType: TokenOwnerType, ownerId: number): Promise<string> {
  const token = generateSecureToken();
  await db
    .insertInto('access_tokens')
    .values({ owner_type: ownerType, owner_id: ownerId, token, token_digest: tokenDigest(token) })
    .onConflict((oc) =>
      oc
        .columns(['owner_type', 'owner_id'])
        .doUpdateSet({ token, token_digest: tokenDigest(token), updated_at: new Date() }),
    )
    .execute();
  return token;
}

/** Removes the tokens of owners being deleted or revoked (polymorphic owner: no FK cascade). */
export async function deleteAccessTokens(db: Db, ownerType: TokenOwnerType, ownerIds: number[]): Promise<void> {
  if (ownerIds.length === 0) return;
  await db.deleteFrom('access_tokens').where('owner_type', '=', ownerType).where('owner_id', 'in', ownerIds).execute();
}

/** Resolves a presented token to its owner, or undefined. */
export async function findTokenOwner(
  db: Db,
  presented: string,
): Promise<{ ownerType: TokenOwnerType; ownerId: number } | undefined> {
  if (!presented || presented.length > 256) return undefined;
  const row = await db
    .selectFrom('access_tokens')
    .select(['owner_type', 'owner_id', 'token_digest'])
    .where('token_digest', '=', tokenDigest(presented))
    .executeTakeFirst();
  if (!row || !tokenMatches(presented, row.token_digest)) return undefined;
  return { ownerType: row.owner_type, ownerId: row.owner_id };
}

/** The account a request names and the calling user's membership in it, read along with the token. */
export interface NamedAccount {
  id: number;
  account: Account | undefined;
  accountUser: AccountUser | undefined;
}

export interface TokenOwnerWithUser {
  ownerType: TokenOwnerType;
  ownerId: number;
  user?: User;
  namedAccount?: NamedAccount;
}

/** A token's row with its owner's user columns (null for another owner) and, when asked, the named account's. */
type TokenOwnerRow = Record<string, unknown> & {
  owner_type: TokenOwnerType;
  owner_id: number;
  token_digest: Buffer;
  id: number | null;
  account_json?: Record<string, unknown> | null;
  account_user_json?: Record<string, unknown> | null;
};

/**
 * Every authenticated request runs it: compiled once (for requests naming an account and for the
 * others) and planned once per connection.
 */
const TOKEN_OWNER = new PreparedOnce(
  (shape: { db: Db; named: boolean }, v: Slots<{ digest: Buffer; accountId: number | null }>) => {
    const base = shape.db
      .selectFrom('access_tokens')
      .modifyFront(sql.raw(PREPARED_MARK))
      .leftJoin('users', (join) =>
        join.onRef('users.id', '=', 'access_tokens.owner_id').on('access_tokens.owner_type', '=', 'User'),
      )
      .selectAll('users')
      .select(['access_tokens.owner_type', 'access_tokens.owner_id', 'access_tokens.token_digest'])
      .where('access_tokens.token_digest', '=', v.digest);
    const query = shape.named
      ? base
          .leftJoin('accounts', (join) => join.on('accounts.id', '=', v.accountId))
          .leftJoin('account_users as au', (join) =>
            join.onRef('au.account_id', '=', 'accounts.id').onRef('au.user_id', '=', 'users.id'),
          )
          .select([
            sql<Record<string, unknown> | null>`to_jsonb(accounts)`.as('account_json'),
            sql<Record<string, unknown> | null>`to_jsonb(au)`.as('account_user_json'),
          ])
      : base;
    return query as unknown as Compilable<TokenOwnerRow>;
  },
  (shape) => [shape.db, shape.named ? 'named' : 'bare'],
);

/**
 * The same, with the owner's user row when the owner is a user: one query for the common case.
 * Given the id of the account the request names, the same statement also reads that account and
 * the user's membership in it, which the account scope checks next (one round trip instead of two).
 */
export async function findTokenOwnerWithUser(
  db: Db,
  presented: string,
  accountId?: number,
): Promise<TokenOwnerWithUser | undefined> {
  if (!presented || presented.length > 256) return undefined;
  const { rows } = await TOKEN_OWNER.execute(
    db,
    { db, named: accountId !== undefined },
    { digest: tokenDigest(presented), accountId: accountId ?? null },
  );
  const row = rows[0];
  if (!row || !tokenMatches(presented, row.token_digest)) return undefined;
  const {
    owner_type: ownerType,
    owner_id: ownerId,
    token_digest: _digest,
    account_json,
    account_user_json,
    ...user
  } = row;
  return {
    ownerType,
    ownerId,
    ...(user.id !== null ? { user: user as unknown as User } : {}),
    ...(accountId === undefined
      ? {}
      : { namedAccount: namedAccountFromJson(accountId, account_json ?? null, account_user_json ?? null) }),
  };
}

/** A NamedAccount from the to_jsonb of the account row and of the membership row (null: none). */
export function namedAccountFromJson(
  id: number,
  account: Record<string, unknown> | null,
  accountUser: Record<string, unknown> | null,
): NamedAccount {
  return {
    id,
    account: account ? accountFromJson(account) : undefined,
    accountUser: accountUser ? accountUserFromJson(accountUser) : undefined,
  };
}

/** The clear tokens of several owners of one kind, for serializers that show them back. */
export async function accessTokensFor(
  db: Db,
  ownerType: TokenOwnerType,
  ownerIds: number[],
): Promise<Map<number, string>> {
  if (ownerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('access_tokens')
    .select(['owner_id', 'token'])
    .where('owner_type', '=', ownerType)
    .where('owner_id', 'in', ownerIds)
    .execute();
  return new Map(rows.map((row) => [row.owner_id, row.token]));
}
