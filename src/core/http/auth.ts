import type { FastifyRequest } from 'fastify';
import { botNotAllowed, invalidAccessToken, invalidPlatformToken, signInRequired } from '../errors.js';
import type { Db } from '../db/kysely.js';
import type { AgentBot, PlatformApp, User } from '../db/schema.js';
import { findTokenOwner, findTokenOwnerWithUser, type NamedAccount } from '../tokens/access-tokens.js';
import { parseId } from './ids.js';
import { findSessionUser, presentedSession } from '../tokens/sessions.js';

/** Who is calling the Application API. */
export type RequestActor = { kind: 'user'; user: User } | { kind: 'agent_bot'; bot: AgentBot };

/**
 * Who is acting in an account: a caller, an automation rule run by a job (Chatwoot's
 * `Current.executed_by = rule`), or the system itself — auto-assignment, which Chatwoot runs with
 * `Current.executed_by` set to the inbox's assignment policy or the inbox and no Current.user. Both
 * of the last two are "Automation System" in activity messages. Never from a request.
 */
export type Actor =
  | RequestActor
  | {
      kind: 'automation';
      /** event_name: the rule's event, for send_webhook_event's `automation_event.<event_name>`. */
      rule: { id: number; name: string; event_name?: string };
    }
  | {
      kind: 'system';
      /** Current.executed_by: what made the change, the events' performer. */
      executedBy: { type: 'AssignmentPolicy' | 'Inbox'; id: number };
    };

declare module 'fastify' {
  interface FastifyRequest {
    platformApp?: PlatformApp;
    actor?: RequestActor;
    /** The account named by :account_id and the user's membership, when read along with the token. */
    namedAccount?: NamedAccount;
  }
  interface FastifyContextConfig {
    /** Route is in Chatwoot's BOT_ACCESSIBLE_ENDPOINTS: agent bot tokens may call it. */
    botAccessible?: boolean;
  }
}

/**
 * Chatwoot reads `api_access_token`; Rails maps `_` and `-` in header names to the same key,
 * so `api-access-token` works there too.
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const raw = request.headers.api_access_token ?? request.headers['api-access-token'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** preHandler for /platform/api/v1: the token must belong to a platform app that is not revoked. */
export function platformAppAuth(db: Db) {
  return async (request: FastifyRequest) => {
    const token = presentedToken(request);
    const owner = token ? await findTokenOwner(db, token) : undefined;
    if (owner?.ownerType !== 'PlatformApp') throw invalidPlatformToken();
    const app = await db
      .selectFrom('platform_apps')
      .selectAll()
      .where('id', '=', owner.ownerId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!app) throw invalidPlatformToken();
    request.platformApp = app;
  };
}

/**
 * preHandler for the Application API (Api::BaseController): a user token passes; an agent bot
 * token passes only on routes marked botAccessible; anything else is refused as Chatwoot refuses it.
 */
export function applicationAuth(db: Db) {
  return async (request: FastifyRequest) => {
    const token = presentedToken(request);
    if (!token) {
      // no api_access_token: devise_token_auth session headers, as the dashboard and mobile app send
      const session = presentedSession(request.headers);
      const found = session ? await findSessionUser(db, session) : undefined;
      if (!found) throw signInRequired();
      request.actor = { kind: 'user', user: found.user };
      return;
    }
    // under /accounts/:account_id the account scope comes next: its account and membership are read with the token
    const accountId = parseId((request.params as Record<string, string | undefined> | undefined)?.account_id);
    const owner = await findTokenOwnerWithUser(db, token, accountId);
    if (!owner) throw invalidAccessToken();
    if (owner.ownerType === 'User') {
      if (!owner.user) throw invalidAccessToken();
      request.actor = { kind: 'user', user: owner.user };
      request.namedAccount = owner.namedAccount;
      return;
    }
    // Platform app tokens have no Current.user in Chatwoot and fall into the bot check below.
    if (!request.routeOptions.config.botAccessible) throw botNotAllowed();
    if (owner.ownerType !== 'AgentBot') throw botNotAllowed();
    const bot = await db.selectFrom('agent_bots').selectAll().where('id', '=', owner.ownerId).executeTakeFirst();
    if (!bot) throw invalidAccessToken();
    request.actor = { kind: 'agent_bot', bot };
  };
}

/** The calling user, for routes that only users reach (applicationAuth has run). */
export function currentUser(request: FastifyRequest): User {
  if (request.actor?.kind !== 'user') throw botNotAllowed();
  return request.actor.user;
}

/** The calling platform app, for routes under platformAppAuth. */
export function currentPlatformApp(request: FastifyRequest): PlatformApp {
  if (!request.platformApp) throw invalidPlatformToken();
  return request.platformApp;
}
