import { useState } from 'preact/hooks';
import type { Conversation } from '../api/types.js';
import { conversations, upsertConversation } from '../conversations/store.js';

/**
 * Runs one action on a conversation: busy while it runs, its error shown, and what it changed
 * merged into the list at once (the /cable event that follows confirms it).
 */
export function useAction(conversationId: number) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (action: () => Promise<Partial<Conversation> | undefined>) => {
    setBusy(true);
    setError('');
    try {
      const change = await action();
      const current = conversations.get().byId[conversationId];
      if (change && current) upsertConversation({ ...current, ...change, meta: { ...current.meta, ...change.meta } });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
