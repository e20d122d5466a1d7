// Mirrors app/views/platform/api/v1/models/_agent_bot.json.jbuilder (Platform API).
// Some Chatwoot versions wrote the bot's name into `outgoing_url` by mistake; we send the URL.
import { Type, type Static } from 'typebox';
import type { AgentBot } from '../db/schema.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const PlatformAgentBotSchema = Type.Object({
  id: Type.Integer(),
  name: NullableString,
  description: NullableString,
  outgoing_url: NullableString,
  account_id: Type.Union([Type.Integer(), Type.Null()]),
  access_token: NullableString,
}, { title: 'PlatformAgentBot' });

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
