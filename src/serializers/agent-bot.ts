// Mirrors app/views/platform/api/v1/models/_agent_bot.json.jbuilder (Platform API).
// Some Chatwoot versions wrote the bot's name into `outgoing_url` by mistake; we send the URL.
import { Type, type Static } from 'typebox';
import type { AgentBot } from '../core/db/schema.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const PlatformAgentBotSchema = Type.Object(
  {
    id: Type.Integer(),
    name: NullableString,
    description: NullableString,
    outgoing_url: NullableString,
    account_id: Type.Union([Type.Integer(), Type.Null()]),
    access_token: NullableString,
  },
  { title: 'PlatformAgentBot' },
);

export function platformAgentBotJson(bot: AgentBot, accessToken: string | null): Static<typeof PlatformAgentBotSchema> {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    outgoing_url: bot.outgoing_url,
    account_id: bot.account_id,
    access_token: accessToken,
  };
}

// Mirrors app/views/api/v1/models/_agent_bot.json.jbuilder (Application API, via AgentBotPresenter).
export const AgentBotSchema = Type.Object(
  {
    id: Type.Integer(),
    name: NullableString,
    description: NullableString,
    thumbnail: Type.String(),
    outgoing_url: Type.Optional(NullableString),
    bot_type: Type.Literal('webhook'),
    bot_config: Type.Record(Type.String(), Type.Unknown()),
    account_id: Type.Union([Type.Integer(), Type.Null()]),
    access_token: Type.Optional(Type.String({ description: "Administrators of the bot's own account only" })),
    secret: Type.Optional(
      Type.String({
        description: "Signs the bot's deliveries (X-Chatwoot-Signature); administrators of the bot's own account only",
      }),
    ),
    system_bot: Type.Boolean({ description: 'True for installation-wide bots (no account)' }),
  },
  { title: 'AgentBot' },
);

/**
 * Global ("system") bots hide their outgoing_url; the token and the signing secret show only to
 * administrators of the account that owns the bot (newer Chatwoot's partial adds `secret`).
 */
export function agentBotJson(
  bot: AgentBot,
  options: { accessToken: string | null; administrator: boolean; accountId: number },
) {
  const systemBot = bot.account_id === null;
  const owner = options.administrator && !systemBot && bot.account_id === options.accountId;
  const showToken = owner && options.accessToken;
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    thumbnail: bot.avatar_url ?? '',
    ...(systemBot ? {} : { outgoing_url: bot.outgoing_url }),
    bot_type: 'webhook' as const,
    bot_config: bot.bot_config,
    account_id: bot.account_id,
    ...(showToken ? { access_token: options.accessToken! } : {}),
    ...(owner ? { secret: bot.secret } : {}),
    system_bot: systemBot,
  };
}
