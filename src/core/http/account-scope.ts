import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/kysely.js';
import { PREPARED_MARK } from '../db/prepared.js';
import type { EventBus, Performer, Work } from '../events/bus.js';
import type { Storage } from '../storage/storage.js';
import type { Account, AccountUser } from '../db/schema.js';
import { accountSuspended, notAccountMember, recordNotFound, unauthorizedAction } from '../errors.js';
import { ACCOUNT_STATUSES, ACCOUNT_USER_ROLES, enumValue } from '../db/enums.js';
import type { Actor, RequestActor } from './auth.js';
import { namedAccountFromJson, type NamedAccount } from '../tokens/access-tokens.js';
import { parseId } from './ids.js';

declare module 'fastify' {
  interface FastifyRequest {
    account?: Account;
    accountUser?: AccountUser;
  }
}

/** What every account-scoped Application API service receives first. */
export interface AccountCtx {
  db: Db;
  config: Readonly<Config>;
  bus: EventBus;
  storage: Storage;
  account: Account;
  actor: Actor;
  /** The caller's membership; absent for agent bots. */
  accountUser: AccountUser | undefined;
}

/** A write in an account, on behalf of its caller: the service context and the open transaction. */
export interface AccountWork extends Work {
  ctx: AccountCtx;
}

const ADMINISTRATOR = enumValue(ACCOUNT_USER_ROLES, 'administrator');
const SUSPENDED = enumValue(ACCOUNT_STATUSES, 'suspended');

/**
 * preHandler for /api/v1/accounts/:account_id/* (Chatwoot's EnsureCurrentAccountHelper):
 * unknown account 404, suspended 401, not a member 401. A bot is a member of the accounts
 * whose inboxes it is attached to, and its own account.
 */
export function accountScope(db: Db, param = 'account_id') {
  return async (request: FastifyRequest) => {
    const id = parseId((request.params as Record<string, string | undefined>)[param]);
    const actor = request.actor!;
    const named =
      id === undefined
        ? undefined
        : request.namedAccount?.id === id
          ? request.namedAccount
          : await accountWithMembership(db, id, actor);
    const account = named?.account;
    if (!account) throw recordNotFound();
    if (account.status === SUSPENDED) throw accountSuspended();
    if (actor.kind === 'user') {
      if (!named.accountUser) throw notAccountMember();
      request.accountUser = named.accountUser;
    } else if (actor.bot.account_id !== account.id) {
      // a bot may act in its own account, or in accounts whose inboxes it is attached to
      const attached = await db
        .selectFrom('agent_bot_inboxes')
        .select('id')
        .where('account_id', '=', account.id)
        .where('agent_bot_id', '=', actor.bot.id)
        .executeTakeFirst();
      if (!attached) throw notAccountMember();
    }
    request.account = account;
  };
}

/** The account and the caller's membership in it (none for a bot), in one query. */
async function accountWithMembership(db: Db, id: number, actor: RequestActor): Promise<NamedAccount> {
  const row = await db
    .selectFrom('accounts')
    .modifyFront(sql.raw(PREPARED_MARK))
    .leftJoin('account_users as au', (join) =>
      join.onRef('au.account_id', '=', 'accounts.id').on('au.user_id', '=', actor.kind === 'user' ? actor.user.id : 0),
    )
    .select([
      sql<Record<string, unknown>>`to_jsonb(accounts)`.as('account_json'),
      sql<Record<string, unknown> | null>`to_jsonb(au)`.as('account_user_json'),
    ])
    .where('accounts.id', '=', id)
    .executeTakeFirst();
  return namedAccountFromJson(id, row?.account_json ?? null, row?.account_user_json ?? null);
}

export function accountCtx(
  request: FastifyRequest,
  deps: { db: Db; config: Readonly<Config>; bus: EventBus; storage: Storage },
): AccountCtx {
  return {
    db: deps.db,
    config: deps.config,
    bus: deps.bus,
    storage: deps.storage,
    account: request.account!,
    actor: request.actor!,
    accountUser: request.accountUser,
  };
}

export const isAdministrator = (ctx: AccountCtx) => ctx.accountUser?.role === ADMINISTRATOR;

/** Pundit's `authorize`: only administrators pass (401 "You are not authorized to do this action"). */
export function requireAdministrator(ctx: AccountCtx): void {
  if (!isAdministrator(ctx)) throw unauthorizedAction();
}

/** The calling user's id; bots never reach user-only services (allow-list), so this is a guard. */
export function actorUserId(ctx: AccountCtx): number {
  if (ctx.actor.kind !== 'user') throw unauthorizedAction();
  return ctx.actor.user.id;
}

/** The caller as an event's performer. */
export function performerOf(ctx: AccountCtx): Performer {
  if (ctx.actor.kind === 'automation') return { type: 'AutomationRule', id: ctx.actor.rule.id };
  if (ctx.actor.kind === 'system') return { ...ctx.actor.executedBy };
  return ctx.actor.kind === 'user'
    ? { type: 'User', id: ctx.actor.user.id }
    : { type: 'AgentBot', id: ctx.actor.bot.id };
}

/**
 * Builds the requesting user's context for a job (Chatwoot's `Current.user = user`): null when the
 * account or the user's membership no longer exists, so a removed agent's queued action does nothing.
 * Bulk actions and macro runs both act as the user who asked.
 */
export async function jobContext(
  deps: Omit<AccountCtx, 'account' | 'actor' | 'accountUser'>,
  job: { account_id: number; user_id: number },
): Promise<AccountCtx | null> {
  const [account, user, accountUser] = await Promise.all([
    deps.db.selectFrom('accounts').selectAll().where('id', '=', job.account_id).executeTakeFirst(),
    deps.db.selectFrom('users').selectAll().where('id', '=', job.user_id).executeTakeFirst(),
    deps.db
      .selectFrom('account_users')
      .selectAll()
      .where('account_id', '=', job.account_id)
      .where('user_id', '=', job.user_id)
      .executeTakeFirst(),
  ]);
  if (!account || !user || !accountUser) return null;
  return { ...deps, account, actor: { kind: 'user', user }, accountUser };
}
