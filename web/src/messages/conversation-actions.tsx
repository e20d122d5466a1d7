import { useState } from 'preact/hooks';
import { assignAgent, toggleStatus } from '../api/conversations.js';
import type { Conversation } from '../api/types.js';
import { upsertConversation } from '../conversations/store.js';

/** Resolve / reopen and assign to me; the change shows at once and /cable confirms it. */
export function ConversationActions({
  accountId,
  userId,
  conversation,
}: {
  accountId: number;
  userId: number;
  conversation: Conversation;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (action: () => Promise<Partial<Conversation>>) => {
    setBusy(true);
    setError('');
    try {
      upsertConversation({ ...conversation, ...(await action()) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const resolved = conversation.status === 'resolved';
  const mine = conversation.meta?.assignee?.id === userId;
  return (
    <div class="conversation-actions">
      <span class={`status status-${conversation.status}`}>{conversation.status}</span>
      {conversation.meta?.assignee && <span class="assignee">Assigned to {conversation.meta.assignee.name}</span>}
      {!mine && (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const assignee = await assignAgent(accountId, conversation.id, userId);
              return { meta: { ...conversation.meta, assignee } };
            })
          }
        >
          Assign to me
        </button>
      )}
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={() =>
          run(async () => {
            const status = resolved ? 'open' : 'resolved';
            await toggleStatus(accountId, conversation.id, status);
            return { status };
          })
        }
      >
        {resolved ? 'Reopen' : 'Resolve'}
      </button>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
