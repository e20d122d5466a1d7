import type { FilterCondition } from './conversations.js';
import { request } from './http.js';

/** A saved filter (CustomFilter): the dashboard stores its conditions as `query: { payload }`. */
export interface SavedFilter {
  id: number;
  name: string;
  filter_type: string;
  query: { payload?: FilterCondition[] };
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}/custom_filters`;

/** GET /custom_filters?filter_type=conversation. */
export const listSavedFilters = (accountId: number) =>
  request<SavedFilter[]>('GET', `${base(accountId)}?filter_type=conversation`);

/** POST /custom_filters. */
export const saveFilter = (accountId: number, name: string, payload: FilterCondition[]) =>
  request<SavedFilter>('POST', base(accountId), {
    custom_filter: { name, filter_type: 'conversation', query: { payload } },
  });

/** DELETE /custom_filters/:id. */
export const deleteSavedFilter = (accountId: number, id: number) => request('DELETE', `${base(accountId)}/${id}`);
