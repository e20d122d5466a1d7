import { request } from './http.js';
import type { Conversation, ConversationCounts, Sender } from './types.js';

export type AssigneeType = 'me' | 'unassigned' | 'all';
export type StatusFilter = 'open' | 'pending' | 'snoozed' | 'resolved' | 'all';

/** Chatwoot's sort_by values (ConversationFinder's SORT_OPTIONS). */
export const SORT_ORDERS = [
  'last_activity_at_desc',
  'last_activity_at_asc',
  'created_at_desc',
  'created_at_asc',
  'priority_desc',
  'priority_asc',
  'waiting_since_asc',
  'waiting_since_desc',
] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** A condition of Chatwoot's filter payload (POST /conversations/filter, saved in custom filters). */
export interface FilterCondition {
  attribute_key: string;
  filter_operator: string;
  values: Array<string | number>;
  query_operator?: 'and' | 'or';
}

/**
 * What the list shows: a tab, a status, and optionally one inbox, team and label, in a sort order;
 * or a saved filter's conditions (which then replace tab, status, inbox, team and label).
 */
export interface ListFilter {
  assigneeType: AssigneeType;
  status: StatusFilter;
  inboxId?: number;
  teamId?: number;
  label?: string;
  sortBy?: SortOrder;
  saved?: { id: number; name: string; payload: FilterCondition[] };
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}/conversations`;

function filterParams(filter: ListFilter) {
  const params = new URLSearchParams({ assignee_type: filter.assigneeType, status: filter.status });
  if (filter.inboxId) params.set('inbox_id', String(filter.inboxId));
  if (filter.teamId) params.set('team_id', String(filter.teamId));
  if (filter.label) params.append('labels[]', filter.label);
  if (filter.sortBy) params.set('sort_by', filter.sortBy);
  return params;
}

type Page = { meta: ConversationCounts; payload: Conversation[] };

/** GET /conversations: 25 a page, with the three tab counts in meta; a saved filter goes through POST /filter. */
export function listConversations(accountId: number, filter: ListFilter, page: number): Promise<Page> {
  if (filter.saved) return request<Page>('POST', `${base(accountId)}/filter`, { payload: filter.saved.payload, page });
  const params = filterParams(filter);
  params.set('page', String(page));
  return request<{ data: { meta: ConversationCounts; payload: Conversation[] } }>(
    'GET',
    `${base(accountId)}?${params}`,
  ).then((body) => body.data);
}

/** GET /conversations/meta: the tab counts alone. */
export function conversationCounts(accountId: number, filter: ListFilter) {
  return request<{ meta: ConversationCounts }>('GET', `${base(accountId)}/meta?${filterParams(filter)}`).then(
    (b) => b.meta,
  );
}

export const getConversation = (accountId: number, id: number) =>
  request<Conversation>('GET', `${base(accountId)}/${id}`);

export const assignAgent = (accountId: number, id: number, assigneeId: number) =>
  request<Sender>('POST', `${base(accountId)}/${id}/assignments`, { assignee_id: assigneeId });

export const markSeen = (accountId: number, id: number) => request('POST', `${base(accountId)}/${id}/update_last_seen`);
