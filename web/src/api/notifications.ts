import { request } from './http.js';

/** One notification as GET /notifications lists it (Chatwoot's notifications index jbuilder). */
export interface AppNotification {
  id: number;
  notification_type: string;
  push_message_title: string;
  read_at: string | null;
  created_at: number;
  primary_actor_type?: string;
  primary_actor_id?: number;
  primary_actor?: { id?: number; inbox_id?: number } | null;
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}/notifications`;

export const listNotifications = (accountId: number, page = 1) =>
  request<{ data: { meta: { unread_count: number; count: number }; payload: AppNotification[] } }>(
    'GET',
    `${base(accountId)}?page=${page}`,
  ).then((b) => b.data);

export const unreadCount = (accountId: number) => request<number>('GET', `${base(accountId)}/unread_count`);

export const markNotificationRead = (accountId: number, id: number) =>
  request<AppNotification>('PATCH', `${base(accountId)}/${id}`);

export const markAllRead = (accountId: number) => request('POST', `${base(accountId)}/read_all`);
