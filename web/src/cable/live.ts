import type { Conversation, Message } from '../api/types.js';
import { applyContactEvent } from '../contacts/store.js';
import { applyMessage, upsertConversation } from '../conversations/store.js';
import { createStore } from '../lib/store.js';
import { receiveMessage } from '../messages/store.js';
import { applyNotificationEvent } from '../notifications/store.js';
import { applyPresence, applyTyping } from '../presence/store.js';
import { type CableEvent, connectCable } from './cable.js';

export const cableState = createStore<'connecting' | 'connected' | 'disconnected'>('connecting');

/** The one place /cable events reach the stores (the names are Chatwoot's). */
function dispatch({ event, data }: CableEvent) {
  switch (event) {
    case 'message.created':
      receiveMessage(data as Message);
      applyMessage(data as Message);
      break;
    case 'message.updated':
      receiveMessage(data as Message);
      break;
    case 'conversation.created':
      upsertConversation(data as Conversation, { toTop: true });
      break;
    case 'conversation.updated':
    case 'conversation.status_changed':
    case 'conversation.read':
    case 'assignee.changed':
    case 'team.changed':
    case 'conversation.contact_changed':
      upsertConversation(data as Conversation);
      break;
    case 'conversation.typing_on':
    case 'conversation.typing_off':
      applyTyping(event === 'conversation.typing_on', data as Parameters<typeof applyTyping>[1]);
      break;
    case 'contact.updated':
    case 'contact.deleted':
      applyContactEvent(event, data as Parameters<typeof applyContactEvent>[1]);
      break;
    case 'presence.update':
      applyPresence(data as Parameters<typeof applyPresence>[0]);
      break;
    case 'notification.created':
    case 'notification.updated':
    case 'notification.deleted':
      applyNotificationEvent(event, data as Parameters<typeof applyNotificationEvent>[1]);
      break;
  }
}

let connection: ReturnType<typeof connectCable> | undefined;
let presenceTimer: ReturnType<typeof setInterval> | undefined;

/** Chatwoot's dashboard asks for presence every 20 s: it keeps the agent online and the dots fresh. */
const PRESENCE_INTERVAL_MS = 20_000;

/** Subscribes for a user in an account; a new account or user replaces the connection. */
export function startLive(options: { pubsubToken: string; accountId: number; userId: number }) {
  stopLive();
  connection = connectCable({ ...options, onEvent: dispatch, onState: (state) => cableState.set(state) });
  presenceTimer = setInterval(() => connection?.perform('update_presence'), PRESENCE_INTERVAL_MS);
  // a hook for tests to cut the socket as a network drop would
  (window as unknown as { __confabCable?: unknown }).__confabCable = connection;
}

export function stopLive() {
  clearInterval(presenceTimer);
  connection?.close();
  connection = undefined;
}
