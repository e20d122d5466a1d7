import type { Storage } from '../../core/storage/storage.js';
import { queueAvatarFromUrl, removeAvatar } from '../../core/storage/avatars.js';
import { accountExists } from '../../domains/accounts/queries.js';
import {
  agentBotColumns,
  agentBotExists,
  deleteAgentBot,
  findAgentBot,
  findAgentBots,
  insertAgentBot,
  updateAgentBot,
} from '../../domains/agent-bots/queries.js';
import type { AgentBot } from '../../core/db/schema.js';
import { validationFailed, type FieldError } from '../../core/errors.js';
import type { Db } from '../../core/db/kysely.js';
import { accessTokensFor, deleteAccessTokens, issueAccessToken } from '../../core/tokens/access-tokens.js';
import type { PlatformCtx } from '../apps/context.js';
import { assertPermitted, dropPermissibles, grantPermissible, permittedIds } from '../apps/permissibles.js';
import type { AgentBotBody } from './schemas.js';

/** Chatwoot's URL_LENGTH_LIMIT on outgoing_url. */
const URL_LENGTH_LIMIT = 2048;

export interface BotWithToken {
  bot: AgentBot;
  accessToken: string | null;
}

async function botErrors(db: Db, body: AgentBotBody): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (body.outgoing_url && body.outgoing_url.length > URL_LENGTH_LIMIT) {
    errors.push({ attribute: 'outgoing_url', message: `is too long (maximum is ${URL_LENGTH_LIMIT} characters)` });
  }
  // belongs_to :account, optional: true — a given id must exist
  if (typeof body.account_id === 'number' && !(await accountExists(db, body.account_id))) {
    errors.push({ attribute: 'account', message: 'must exist' });
  }
  return errors;
}

async function withTokens(db: Db, bots: AgentBot[]): Promise<BotWithToken[]> {
  const tokens = await accessTokensFor(
    db,
    'AgentBot',
    bots.map((bot) => bot.id),
  );
  return bots.map((bot) => ({ bot, accessToken: tokens.get(bot.id) ?? null }));
}

/** GET /agent_bots: only the bots this app created or was granted. */
export async function listAgentBots(ctx: PlatformCtx): Promise<BotWithToken[]> {
  return withTokens(ctx.db, await findAgentBots(ctx.db, await permittedIds(ctx.db, ctx.app.id, 'AgentBot')));
}

export async function createAgentBot(ctx: PlatformCtx, body: AgentBotBody): Promise<BotWithToken> {
  const errors = await botErrors(ctx.db, body);
  if (errors.length) throw validationFailed(errors);
  return ctx.db.transaction().execute(async (tx) => {
    const bot = await insertAgentBot(tx, { ...agentBotColumns(body), name: body.name ?? null });
    const accessToken = await issueAccessToken(tx, 'AgentBot', bot.id);
    await grantPermissible(tx, ctx.app.id, 'AgentBot', bot.id);
    await queueAvatarFromUrl(tx, { owner: 'agent_bots', id: bot.id, accountId: null }, body.avatar_url);
    return { bot, accessToken };
  });
}

async function permittedBotId(ctx: PlatformCtx, id: number | undefined): Promise<number> {
  return assertPermitted(ctx.db, ctx.app.id, 'AgentBot', id, (botId) => agentBotExists(ctx.db, botId));
}

export async function getAgentBot(ctx: PlatformCtx, id: number | undefined): Promise<BotWithToken> {
  const bot = (await findAgentBot(ctx.db, await permittedBotId(ctx, id)))!;
  return (await withTokens(ctx.db, [bot]))[0]!;
}

export async function patchAgentBot(
  ctx: PlatformCtx,
  id: number | undefined,
  body: AgentBotBody,
): Promise<BotWithToken> {
  const botId = await permittedBotId(ctx, id);
  const errors = await botErrors(ctx.db, body);
  if (errors.length) throw validationFailed(errors);
  const bot = await ctx.db.transaction().execute(async (tx) => {
    const row = await updateAgentBot(tx, botId, agentBotColumns(body));
    await queueAvatarFromUrl(tx, { owner: 'agent_bots', id: botId, accountId: null }, body.avatar_url);
    return row;
  });
  return (await withTokens(ctx.db, [bot]))[0]!;
}

/** DELETE /agent_bots/:id/avatar: only a bot this app created or was granted. */
export async function removeAgentBotAvatar(
  ctx: PlatformCtx,
  storage: Storage,
  id: number | undefined,
): Promise<BotWithToken> {
  const botId = await permittedBotId(ctx, id);
  await removeAvatar(ctx.db, storage, { owner: 'agent_bots', id: botId, accountId: null });
  return getAgentBot(ctx, botId);
}

export async function removeAgentBot(ctx: PlatformCtx, id: number | undefined): Promise<void> {
  const botId = await permittedBotId(ctx, id);
  await ctx.db.transaction().execute(async (tx) => {
    await deleteAccessTokens(tx, 'AgentBot', [botId]);
    await dropPermissibles(tx, 'AgentBot', botId);
    await deleteAgentBot(tx, botId);
  });
}
