import { queueAvatarFromUrl, removeAvatar } from '../../core/storage/avatars.js';
import type { AgentBot } from '../../core/db/schema.js';
import { agentBotColumns } from './queries.js';
import { recordNotFound } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { deleteAccessTokens, issueAccessToken } from '../../core/tokens/access-tokens.js';
import { generateSecureToken } from '../../core/tokens/secure-token.js';
import type { AccountAgentBotBody } from './schemas.js';

/** AgentBot.accessible_to(account): the installation's global bots and the account's own. */
function accessible(ctx: AccountCtx) {
  return ctx.db
    .selectFrom('agent_bots')
    .selectAll()
    .where((eb) => eb.or([eb('account_id', 'is', null), eb('account_id', '=', ctx.account.id)]));
}

export async function listAccountBots(ctx: AccountCtx): Promise<AgentBot[]> {
  return accessible(ctx).orderBy('id').execute();
}

export async function getAccountBot(ctx: AccountCtx, rawId: string): Promise<AgentBot> {
  const id = parseId(rawId);
  const bot = id === undefined ? undefined : await accessible(ctx).where('id', '=', id).executeTakeFirst();
  if (!bot) throw recordNotFound();
  return bot;
}

/** Writes only touch the account's own bots: a global bot is 404 here, as in Chatwoot. */
async function ownBot(ctx: AccountCtx, rawId: string): Promise<AgentBot> {
  requireAdministrator(ctx);
  const id = parseId(rawId);
  const bot =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('agent_bots')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!bot) throw recordNotFound();
  return bot;
}

export async function createAccountBot(ctx: AccountCtx, body: AccountAgentBotBody): Promise<AgentBot> {
  requireAdministrator(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const bot = await tx
      .insertInto('agent_bots')
      .values({ account_id: ctx.account.id, name: body.name ?? null, ...agentBotColumns(body) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await issueAccessToken(tx, 'AgentBot', bot.id);
    await queueAvatarFromUrl(tx, { owner: 'agent_bots', id: bot.id, accountId: ctx.account.id }, body.avatar_url);
    return bot;
  });
}

export async function patchAccountBot(ctx: AccountCtx, rawId: string, body: AccountAgentBotBody): Promise<AgentBot> {
  const bot = await ownBot(ctx, rawId);
  return ctx.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('agent_bots')
      .set({ ...agentBotColumns(body), updated_at: new Date() })
      .where('id', '=', bot.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await queueAvatarFromUrl(tx, { owner: 'agent_bots', id: bot.id, accountId: ctx.account.id }, body.avatar_url);
    return updated;
  });
}

/** DELETE /agent_bots/:id/avatar: as an update, administrators and the account's own bots only. */
export async function removeAccountBotAvatar(ctx: AccountCtx, rawId: string): Promise<AgentBot> {
  const bot = await ownBot(ctx, rawId);
  await removeAvatar(ctx.db, ctx.storage, { owner: 'agent_bots', id: bot.id, accountId: ctx.account.id });
  return { ...bot, avatar_url: null, avatar_blob_id: null };
}

export async function removeAccountBot(ctx: AccountCtx, rawId: string): Promise<void> {
  const bot = await ownBot(ctx, rawId);
  await ctx.db.transaction().execute(async (tx) => {
    await deleteAccessTokens(tx, 'AgentBot', [bot.id]);
    await tx
      .deleteFrom('platform_app_permissibles')
      .where('permissible_type', '=', 'AgentBot')
      .where('permissible_id', '=', bot.id)
      .execute();
    await tx.deleteFrom('agent_bots').where('id', '=', bot.id).execute();
  });
}

/** POST /agent_bots/:id/reset_access_token: the old token stops working at once. */
export async function resetAccountBotToken(ctx: AccountCtx, rawId: string): Promise<AgentBot> {
  const bot = await ownBot(ctx, rawId);
  await issueAccessToken(ctx.db, 'AgentBot', bot.id);
  return bot;
}

/**
 * POST /agent_bots/:id/reset_secret (AgentBot#reset_secret!): a new signing secret; deliveries
 * still waiting are signed with it from their next try.
 */
export async function resetAccountBotSecret(ctx: AccountCtx, rawId: string): Promise<AgentBot> {
  const bot = await ownBot(ctx, rawId);
  return ctx.db
    .updateTable('agent_bots')
    .set({ secret: generateSecureToken(), updated_at: new Date() })
    .where('id', '=', bot.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
