import {
  type AppNotification,
  listNotifications,
  markAllRead,
  markNotificationRead,
  unreadCount,
} from '../api/notifications.js';
import { createStore } from '../lib/store.js';

/** The bell: the unread count (live from /cable) and the latest page, read when the panel opens. */
export interface NotificationState {
  accountId: number;
  unread: number;
  items: AppNotification[];
  loading: boolean;
  error?: string;
}

export const notifications = createStore<NotificationState>({ accountId: 0, unread: 0, items: [], loading: false });

/**
 * Changes so far (live events; marks read here, counted as they start and as they end): a count or
 * list read across a change is stale, as the server may have answered before the change.
 */
let changes = 0;

/** The count for an account (at start and after a reconnect). */
export async function loadUnreadCount(accountId: number) {
  notifications.set((s) => (s.accountId === accountId ? s : { accountId, unread: 0, items: [], loading: false }));
  const seen = changes;
  const count = await unreadCount(accountId).catch(() => undefined);
  if (count !== undefined && seen === changes && notifications.get().accountId === accountId)
    notifications.set((s) => ({ ...s, unread: count }));
}

export async function loadNotifications() {
  const { accountId } = notifications.get();
  if (!accountId) return;
  notifications.set((s) => ({ ...s, loading: true, error: undefined }));
  const seen = changes;
  try {
    const data = await listNotifications(accountId);
    if (notifications.get().accountId !== accountId) return;
    // read before a change: the change's own state stands, and the list is read again
    if (seen !== changes) return void loadNotifications();
    notifications.set((s) => ({ ...s, items: data.payload, unread: data.meta.unread_count, loading: false }));
  } catch (error) {
    notifications.set((s) => ({ ...s, loading: false, error: (error as Error).message }));
  }
}

const now = () => new Date().toISOString();

export async function readOne(item: AppNotification) {
  if (item.read_at) return;
  const { accountId } = notifications.get();
  changes += 1;
  // shown read at once; the count comes back with notification.updated
  notifications.set((s) => ({
    ...s,
    unread: Math.max(0, s.unread - 1),
    items: s.items.map((n) => (n.id === item.id ? { ...n, read_at: now() } : n)),
  }));
  await markNotificationRead(accountId, item.id)
    .catch(() => loadNotifications())
    .finally(() => (changes += 1));
}

export async function readAll() {
  const { accountId } = notifications.get();
  changes += 1;
  notifications.set((s) => ({ ...s, unread: 0, items: s.items.map((n) => ({ ...n, read_at: n.read_at ?? now() })) }));
  await markAllRead(accountId)
    .catch(() => loadNotifications())
    .finally(() => (changes += 1));
}

interface NotificationEvent {
  notification?: Partial<AppNotification> & { id?: number };
  unread_count?: number;
  account_id?: number;
}

/** notification.created / updated / deleted: each carries the user's unread count in the account. */
export function applyNotificationEvent(event: string, data: NotificationEvent) {
  changes += 1;
  notifications.set((s) => {
    if (data.account_id !== undefined && data.account_id !== s.accountId) return s;
    const unread = typeof data.unread_count === 'number' ? data.unread_count : s.unread;
    const incoming = data.notification;
    let items = s.items;
    if (incoming?.id !== undefined) {
      if (event === 'notification.deleted') items = items.filter((n) => n.id !== incoming.id);
      else if (items.some((n) => n.id === incoming.id))
        items = items.map((n) => (n.id === incoming.id ? ({ ...n, ...incoming } as AppNotification) : n));
      else if (event === 'notification.created') items = [incoming as AppNotification, ...items];
    }
    return { ...s, unread, items };
  });
}
