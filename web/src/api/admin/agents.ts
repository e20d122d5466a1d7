import { request } from '../http.js';

export type Role = 'agent' | 'administrator';
export type Availability = 'online' | 'offline' | 'busy';

/** `_agent.json.jbuilder`. */
export interface Agent {
  id: number;
  name: string;
  email: string;
  role: Role;
  confirmed: boolean;
  availability_status: Availability;
}

const path = (accountId: number) => `/api/v1/accounts/${accountId}/agents`;

export const listAgents = (accountId: number) => request<Agent[]>('GET', path(accountId));

/** POST /agents: an invitation (Chatwoot mails the new user a confirmation link). */
export const inviteAgent = (accountId: number, agent: { name: string; email: string; role: Role }) =>
  request<Agent>('POST', path(accountId), agent);

export const updateAgent = (accountId: number, id: number, agent: { role?: Role; name?: string }) =>
  request<Agent>('PATCH', `${path(accountId)}/${id}`, agent);

export const removeAgent = (accountId: number, id: number) => request<unknown>('DELETE', `${path(accountId)}/${id}`);
