import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppNotification } from '../api/notifications.js';
import { cableState } from '../cable/live.js';
import { navigate } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { loadNotifications, loadUnreadCount, notifications, readAll, readOne } from './store.js';
import './notifications.css';

/** The notifications bell: unread count (live), the latest notifications, mark one or all read. */
export function NotificationBell({ accountId }: { accountId: number }) {
  const state = useStore(notifications);
  const cable = useStore(cableState);
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);

  // at start, in another account, and after a reconnect (events missed beyond the replay window)
  useEffect(() => {
    if (cable === 'connected' || notifications.get().accountId !== accountId) void loadUnreadCount(accountId);
  }, [accountId, cable]);

  useEffect(() => {
    if (open) {
      void loadNotifications();
      panel.current?.querySelector<HTMLElement>('button')?.focus();
    }
  }, [open]);

  const choose = (item: AppNotification) => {
    void readOne(item);
    setOpen(false);
    const conversationId = item.primary_actor_type === 'Conversation' ? item.primary_actor?.id : undefined;
    if (conversationId) navigate(`/accounts/${accountId}/conversations/${conversationId}`);
  };

  return (
    <div class="bell">
      <button
        type="button"
        class="bell-button"
        aria-expanded={open}
        aria-controls="notification-panel"
        onClick={() => setOpen(!open)}
      >
        Notifications{' '}
        <span class="bell-count" data-unread={state.unread}>
          {state.unread > 0 ? state.unread : ''}
          <span class="visually-hidden">{state.unread > 0 ? ' unread' : ' (none unread)'}</span>
        </span>
      </button>
      {open && (
        <div
          id="notification-panel"
          class="notification-panel"
          ref={panel}
          role="dialog"
          aria-label="Notifications"
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        >
          <div class="notification-head">
            <button type="button" onClick={() => void readAll()} disabled={state.unread === 0}>
              Mark all read
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
          {state.error && <p role="alert">{state.error}</p>}
          <ul aria-label="Notification list">
            {state.items.map((item) => (
              <li key={item.id} class={item.read_at ? 'read' : 'unread'} data-notification-id={item.id}>
                <button type="button" onClick={() => choose(item)}>
                  <span class="notification-type">{item.notification_type.replaceAll('_', ' ')}</span>
                  <span class="notification-title">{item.push_message_title}</span>
                </button>
              </li>
            ))}
          </ul>
          {!state.loading && state.items.length === 0 && <p class="empty">No notifications</p>}
        </div>
      )}
    </div>
  );
}
