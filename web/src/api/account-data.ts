import { request } from './http.js';

export interface InboxSummary {
  id: number;
  name: string;
  channel_type?: string;
}

export interface LabelSummary {
  id: number;
  title: string;
  color?: string;
}

/** GET /inboxes: the inboxes the user may see. */
export const listInboxes = (accountId: number) =>
  request<{ payload: InboxSummary[] }>('GET', `/api/v1/accounts/${accountId}/inboxes`).then((b) => b.payload);

/** GET /labels. */
export const listLabels = (accountId: number) =>
  request<{ payload: LabelSummary[] }>('GET', `/api/v1/accounts/${accountId}/labels`).then((b) => b.payload);

export interface AgentSummary {
  id: number;
  name: string;
  available_name?: string;
  availability_status?: string;
  role?: string;
}

export interface TeamSummary {
  id: number;
  name: string;
}

/** GET /agents. */
export const listAgents = (accountId: number) => request<AgentSummary[]>('GET', `/api/v1/accounts/${accountId}/agents`);

/** GET /teams. */
export const listTeams = (accountId: number) => request<TeamSummary[]>('GET', `/api/v1/accounts/${accountId}/teams`);
