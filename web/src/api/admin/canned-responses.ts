import { request } from '../http.js';

/** `_canned_response.json.jbuilder`. */
export interface CannedResponse {
  id: number;
  short_code: string;
  content: string;
}

const path = (accountId: number) => `/api/v1/accounts/${accountId}/canned_responses`;

export const listAllCannedResponses = (accountId: number) => request<CannedResponse[]>('GET', path(accountId));
export const createCannedResponse = (accountId: number, input: { short_code: string; content: string }) =>
  request<CannedResponse>('POST', path(accountId), { canned_response: input });
export const deleteCannedResponse = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${path(accountId)}/${id}`);
export const updateCannedResponse = (accountId: number, id: number, input: { short_code: string; content: string }) =>
  request<CannedResponse>('PATCH', `${path(accountId)}/${id}`, { canned_response: input });
