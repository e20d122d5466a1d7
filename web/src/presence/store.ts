import { createStore } from '../lib/store.js';

/**
 * Who is online (presence.update over /cable: users with their availability, contacts online) and
 * who is typing in which conversation (conversation.typing_on / typing_off).
 */
export interface PresenceState {
  users: Record<string, string>;
  contacts: Record<string, string>;
}

export const presence = createStore<PresenceState>({ users: {}, contacts: {} });

/** conversation id → the names typing there (contacts and other agents), by sender key. */
export const typing = createStore<Record<number, Record<string, string>>>({});

interface TypingEvent {
  conversation?: { id?: number };
  user?: { id?: number; name?: string; type?: string };
  is_private?: boolean;
}

/** Chatwoot clears a typing indicator that gets no typing_off after a while (the tab closed mid-word). */
const TYPING_TTL_MS = 30_000;
const timers = new Map<string, ReturnType<typeof setTimeout>>();

export function applyTyping(on: boolean, data: TypingEvent) {
  const conversationId = data.conversation?.id;
  const user = data.user;
  if (!conversationId || !user?.id) return;
  const key = `${user.type ?? 'contact'}:${user.id}`;
  const timerKey = `${conversationId}/${key}`;
  clearTimeout(timers.get(timerKey));
  timers.delete(timerKey);
  typing.set((all) => {
    const here = { ...all[conversationId] };
    if (on) here[key] = user.name || 'Someone';
    else delete here[key];
    return { ...all, [conversationId]: here };
  });
  if (on)
    timers.set(
      timerKey,
      setTimeout(() => applyTyping(false, data), TYPING_TTL_MS),
    );
}

export function applyPresence(data: { users?: Record<string, string>; contacts?: Record<string, string> }) {
  presence.set({ users: data.users ?? {}, contacts: data.contacts ?? {} });
}
