import { request } from './http.js';

export interface CannedResponse {
  id: number;
  short_code: string;
  content: string;
}

/** GET /canned_responses?search=: short-code matches first, as the dashboard's `/` menu lists them. */
export const searchCannedResponses = (accountId: number, search: string) =>
  request<CannedResponse[]>(
    'GET',
    `/api/v1/accounts/${accountId}/canned_responses?search=${encodeURIComponent(search)}`,
  );
