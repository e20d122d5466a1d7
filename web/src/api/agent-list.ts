import { request } from './http.js';

export interface AgentSummary {
  id: number;
  name: string;
  available_name?: string;
  availability_status: string;
  role: string;
}

/** GET /agents: the account's agents (for presence dots; the settings screens have their own calls). */
export const listAgents = (accountId: number) => request<AgentSummary[]>('GET', `/api/v1/accounts/${accountId}/agents`);
