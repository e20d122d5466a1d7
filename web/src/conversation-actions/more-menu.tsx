import { markUnread, setMuted } from '../api/conversation-actions.js';
import type { Conversation } from '../api/types.js';
import { upsertConversation } from '../conversations/store.js';
import { Menu } from '../lib/menu.js';
import { navigate } from '../lib/router.js';
import { useAction } from './use-action.js';

/** Mute / unmute and mark unread (which, as in Chatwoot, leaves the conversation for the list). */
export function MoreMenu({ accountId, conversation }: { accountId: number; conversation: Conversation }) {
  const { error, run } = useAction(conversation.id);
  return (
    <>
      <Menu label="More actions" buttonLabel="⋯" class="more-menu">
        {(close) => (
          <>
            <button
              type="button"
              data-action="mute"
              onClick={() => {
                close();
                const muted = !conversation.muted;
                void run(async () => {
                  await setMuted(accountId, conversation.id, muted);
                  // mute resolves the conversation too (Conversation#mute!)
                  return muted ? { muted, status: 'resolved' } : { muted };
                });
              }}
            >
              {conversation.muted ? 'Unmute conversation' : 'Mute conversation'}
            </button>
            <button
              type="button"
              data-action="mark-unread"
              onClick={() => {
                close();
                void run(async () => {
                  const updated = await markUnread(accountId, conversation.id);
                  navigate(`/accounts/${accountId}/conversations`);
                  upsertConversation(updated);
                  return undefined;
                });
              }}
            >
              Mark as unread
            </button>
          </>
        )}
      </Menu>
      {error && <span role="alert">{error}</span>}
    </>
  );
}
