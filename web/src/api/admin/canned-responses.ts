import type { CannedResponse } from '../canned-responses.js';
import { request } from '../http.js';

export type { CannedResponse };

const path = (accountId: number) => `/api/v1/accounts/${accountId}/canned_responses`;

export const listAllCannedResponses = (accountId: number) => request<CannedResponse[]>('GET', path(accountId));
export const createCannedResponse = (accountId: number, input: { short_code: string; content: string }) =>
  request<CannedResponse>('POST', path(accountId), { canned_response: input });
export const deleteCannedResponse = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${path(accountId)}/${id}`);
export const updateCannedResponse = (accountId: number, id: number, input: { short_code: string; content: string }) =>
  request<CannedResponse>('PATCH', `${path(accountId)}/${id}`, { canned_response: input });
