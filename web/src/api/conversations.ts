import { request } from './http.js';
import type { Conversation, ConversationCounts, Sender } from './types.js';

export type AssigneeType = 'me' | 'unassigned' | 'all';
export type StatusFilter = 'open' | 'pending' | 'snoozed' | 'resolved' | 'all';

export interface ListQuery {
  assigneeType: AssigneeType;
  status: StatusFilter;
  page: number;
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}/conversations`;

/** GET /conversations: 25 a page, with the three tab counts in meta. */
export function listConversations(accountId: number, query: ListQuery) {
  const params = new URLSearchParams({
    assignee_type: query.assigneeType,
    status: query.status,
    page: String(query.page),
  });
  return request<{ data: { meta: ConversationCounts; payload: Conversation[] } }>(
    'GET',
    `${base(accountId)}?${params}`,
  ).then((body) => body.data);
}

export function conversationCounts(accountId: number, status: StatusFilter) {
  return request<{ meta: ConversationCounts }>('GET', `${base(accountId)}/meta?status=${status}`).then((b) => b.meta);
}

export const getConversation = (accountId: number, id: number) =>
  request<Conversation>('GET', `${base(accountId)}/${id}`);

export const toggleStatus = (accountId: number, id: number, status: 'open' | 'resolved') =>
  request('POST', `${base(accountId)}/${id}/toggle_status`, { status });

export const assignAgent = (accountId: number, id: number, assigneeId: number) =>
  request<Sender>('POST', `${base(accountId)}/${id}/assignments`, { assignee_id: assigneeId });

export const markSeen = (accountId: number, id: number) => request('POST', `${base(accountId)}/${id}/update_last_seen`);
