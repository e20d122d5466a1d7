import { request } from '../http.js';
import type { Agent } from './agents.js';

/** `_team.json.jbuilder`. */
export interface Team {
  id: number;
  name: string;
  description: string | null;
  allow_auto_assign: boolean;
}

export interface TeamInput {
  name?: string;
  description?: string | null;
  allow_auto_assign?: boolean;
}

const path = (accountId: number) => `/api/v1/accounts/${accountId}/teams`;

export const listTeams = (accountId: number) => request<Team[]>('GET', path(accountId));
export const createTeam = (accountId: number, team: TeamInput) => request<Team>('POST', path(accountId), team);
export const deleteTeam = (accountId: number, id: number) => request<unknown>('DELETE', `${path(accountId)}/${id}`);

export const listTeamMembers = (accountId: number, teamId: number) =>
  request<Agent[]>('GET', `${path(accountId)}/${teamId}/team_members`);

/** PATCH /teams/:id/team_members: the members become exactly these users. */
export const setTeamMembers = (accountId: number, teamId: number, userIds: number[]) =>
  request<Agent[]>('PATCH', `${path(accountId)}/${teamId}/team_members`, { user_ids: userIds });

export const getTeam = (accountId: number, id: number) => request<Team>('GET', `${path(accountId)}/${id}`);
export const updateTeam = (accountId: number, id: number, team: TeamInput) =>
  request<Team>('PATCH', `${path(accountId)}/${id}`, team);
