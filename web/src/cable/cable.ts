/**
 * ActionCable's JSON protocol over a WebSocket, as Chatwoot's dashboard subscribes: RoomChannel
 * with the user's pubsub_token, account_id and user_id. After a drop it reconnects and asks for what
 * it missed with Confab's `last_event_id` (the newest event it saw, or before any, the stream's
 * position its first subscription was confirmed with); an event seen twice (live and replayed) is
 * dropped.
 */
export interface CableEvent {
  event: string;
  data: unknown;
  event_id?: number;
}

export interface CableOptions {
  pubsubToken: string;
  accountId: number;
  userId: number;
  onEvent(event: CableEvent): void;
  onState?(state: 'connecting' | 'connected' | 'disconnected'): void;
}

/** ActionCable's server pings every 3 s: silence this long means a dead connection. */
const STALE_MS = 9000;

export function connectCable(options: CableOptions) {
  let socket: WebSocket | undefined;
  let lastEventId: number | undefined;
  let lastSeen = 0;
  let attempts = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const seen = new Set<number>();
  /** The identifier the current socket subscribed with ('' until then). */
  let subscribed = '';

  const identifier = () =>
    JSON.stringify({
      channel: 'RoomChannel',
      pubsub_token: options.pubsubToken,
      account_id: options.accountId,
      user_id: options.userId,
      ...(lastEventId !== undefined ? { last_event_id: lastEventId } : {}),
    });

  const open = () => {
    options.onState?.('connecting');
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/cable`;
    const ws = new WebSocket(url, ['actioncable-v1-json', 'actioncable-unsupported']);
    socket = ws;
    subscribed = '';
    lastSeen = Date.now();
    ws.onmessage = (frame) => {
      lastSeen = Date.now();
      const message = JSON.parse(String(frame.data)) as {
        type?: string;
        identifier?: string;
        message?: CableEvent;
        last_event_id?: number;
      };
      if (message.type === 'welcome') {
        subscribed = identifier();
        ws.send(JSON.stringify({ command: 'subscribe', identifier: subscribed }));
      } else if (message.type === 'confirm_subscription') {
        attempts = 0;
        // before its first event, a drop resumes from where the stream stood as this one began
        if (lastEventId === undefined && typeof message.last_event_id === 'number') lastEventId = message.last_event_id;
        options.onState?.('connected');
      } else if (message.type === 'disconnect') {
        ws.close();
      } else if (message.message && message.identifier === subscribed) {
        const event = message.message;
        if (event.event_id !== undefined) {
          if (seen.has(event.event_id)) return;
          seen.add(event.event_id);
          if (seen.size > 2000) seen.delete(seen.values().next().value as number);
          lastEventId = Math.max(lastEventId ?? 0, event.event_id);
        }
        options.onEvent(event);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      options.onState?.('disconnected');
      if (closed) return;
      attempts += 1;
      retryTimer = setTimeout(open, Math.min(5000, 250 * 2 ** attempts));
    };
  };

  const watchdog = setInterval(() => {
    if (socket && Date.now() - lastSeen > STALE_MS) socket.close();
  }, 3000);

  open();
  return {
    close() {
      closed = true;
      clearInterval(watchdog);
      clearTimeout(retryTimer);
      socket?.close();
    },
    /** An ActionCable `perform` on the subscription (e.g. RoomChannel's update_presence); dropped when offline. */
    perform(action: string, data: Record<string, unknown> = {}) {
      if (socket?.readyState === WebSocket.OPEN && subscribed)
        socket.send(
          JSON.stringify({ command: 'message', identifier: subscribed, data: JSON.stringify({ ...data, action }) }),
        );
    },
    /** For tests and the network monitor: drops the connection as a network failure would. */
    drop() {
      socket?.close();
    },
  };
}
