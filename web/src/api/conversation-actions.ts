import { request } from './http.js';
import type { Conversation, Sender } from './types.js';

// The conversation actions of Chatwoot's dashboard (app/javascript/dashboard/api/inbox/conversation.js).

const base = (accountId: number, id: number) => `/api/v1/accounts/${accountId}/conversations/${id}`;

export type Status = 'open' | 'resolved' | 'pending' | 'snoozed';
export type Priority = 'urgent' | 'high' | 'medium' | 'low';

/** POST toggle_status: a status, and for snoozed the time it reopens (unix seconds; none = until the next reply). */
export const toggleStatus = (accountId: number, id: number, status: Status, snoozedUntil?: number | null) =>
  request<{ payload: { current_status: Status; snoozed_until: string | null } }>(
    'POST',
    `${base(accountId, id)}/toggle_status`,
    status === 'snoozed' ? { status, snoozed_until: snoozedUntil ?? null } : { status },
  ).then((b) => b.payload);

/** POST toggle_priority; null clears it (Chatwoot sends `none`... or null: both clear). */
export const togglePriority = (accountId: number, id: number, priority: Priority | null) =>
  request('POST', `${base(accountId, id)}/toggle_priority`, { priority });

/** POST assignments with assignee_id (0 unassigns, as Chatwoot's dashboard sends) or team_id. */
export const assign = (accountId: number, id: number, body: { assignee_id: number } | { team_id: number }) =>
  request<(Sender & { id: number }) | null>(
    'POST',
    `/api/v1/accounts/${accountId}/conversations/${id}/assignments`,
    body,
  );

/** POST labels: the conversation's labels become exactly these. */
export const setLabels = (accountId: number, id: number, labels: string[]) =>
  request<{ payload: string[] }>('POST', `${base(accountId, id)}/labels`, { labels }).then((b) => b.payload);

/** POST mute (resolves and blocks the contact) or unmute. */
export const setMuted = (accountId: number, id: number, muted: boolean) =>
  request('POST', `${base(accountId, id)}/${muted ? 'mute' : 'unmute'}`);

/** POST unread: the last incoming message counts unread again. */
export const markUnread = (accountId: number, id: number) =>
  request<Conversation>('POST', `${base(accountId, id)}/unread`);

export const listParticipants = (accountId: number, id: number) =>
  request<Sender[]>('GET', `${base(accountId, id)}/participants`);

/** POST participants (add) or DELETE participants (remove): only these users change. */
export const changeParticipants = (accountId: number, id: number, userIds: number[], add: boolean) =>
  request(add ? 'POST' : 'DELETE', `${base(accountId, id)}/participants`, { user_ids: userIds });
