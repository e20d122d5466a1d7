import { request } from '../http.js';

/** `_agent_bot.json.jbuilder` (the token shows to the owning account's administrators). */
export interface AgentBot {
  id: number;
  name: string | null;
  description: string | null;
  outgoing_url: string | null;
  access_token?: string;
  system_bot?: boolean;
}

const path = (accountId: number) => `/api/v1/accounts/${accountId}/agent_bots`;

export const listAgentBots = (accountId: number) => request<AgentBot[]>('GET', path(accountId));
export const createAgentBot = (
  accountId: number,
  bot: { name: string; description?: string | null; outgoing_url?: string | null },
) => request<AgentBot>('POST', path(accountId), bot);
export const deleteAgentBot = (accountId: number, id: number) => request<unknown>('DELETE', `${path(accountId)}/${id}`);
export const updateAgentBot = (
  accountId: number,
  id: number,
  bot: { name?: string; description?: string | null; outgoing_url?: string | null },
) => request<AgentBot>('PATCH', `${path(accountId)}/${id}`, bot);
