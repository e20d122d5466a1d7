import type { Conversation, Message } from '../api/types.js';
import { applyMessage, upsertConversation } from '../conversations/store.js';
import { createStore } from '../lib/store.js';
import { receiveMessage } from '../messages/store.js';
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
  }
}

let connection: ReturnType<typeof connectCable> | undefined;

/** Subscribes for a user in an account; a new account or user replaces the connection. */
export function startLive(options: { pubsubToken: string; accountId: number; userId: number }) {
  connection?.close();
  connection = connectCable({ ...options, onEvent: dispatch, onState: (state) => cableState.set(state) });
  // a hook for tests to cut the socket as a network drop would
  (window as unknown as { __confabCable?: unknown }).__confabCable = connection;
}

export function stopLive() {
  connection?.close();
  connection = undefined;
}
