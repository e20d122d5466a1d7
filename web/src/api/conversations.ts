import { request } from './http.js';
import type { Conversation, ConversationCounts, Sender } from './types.js';

export type AssigneeType = 'me' | 'unassigned' | 'all';
export type StatusFilter = 'open' | 'pending' | 'snoozed' | 'resolved' | 'all';

/** What the list shows: a tab, a status, and optionally one inbox and one label. */
export interface ListFilter {
  assigneeType: AssigneeType;
  status: StatusFilter;
  inboxId?: number;
  label?: string;
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}/conversations`;

function filterParams(filter: ListFilter) {
  const params = new URLSearchParams({ assignee_type: filter.assigneeType, status: filter.status });
  if (filter.inboxId) params.set('inbox_id', String(filter.inboxId));
  if (filter.label) params.append('labels[]', filter.label);
  return params;
}

/** GET /conversations: 25 a page, with the three tab counts in meta. */
export function listConversations(accountId: number, filter: ListFilter, page: number) {
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

export const toggleStatus = (accountId: number, id: number, status: 'open' | 'resolved') =>
  request('POST', `${base(accountId)}/${id}/toggle_status`, { status });

export const assignAgent = (accountId: number, id: number, assigneeId: number) =>
  request<Sender>('POST', `${base(accountId)}/${id}/assignments`, { assignee_id: assigneeId });

export const markSeen = (accountId: number, id: number) => request('POST', `${base(accountId)}/${id}/update_last_seen`);
