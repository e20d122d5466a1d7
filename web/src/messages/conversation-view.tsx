import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { getConversation, markSeen } from '../api/conversations.js';
import { conversations, setOpenConversation, upsertConversation } from '../conversations/store.js';
import { useStore } from '../lib/store.js';
import { ConversationActions } from './conversation-actions.js';
import { MessageItem } from './message-item.js';
import { ReplyBox } from './reply-box.js';
import { loadOlder, openThread, thread } from './store.js';

/** One conversation: header and actions, messages (older pages as you scroll up), reply box. */
export function ConversationView({ accountId, userId, id }: { accountId: number; userId: number; id: number }) {
  const state = useStore(thread);
  const conversation = useStore(conversations).byId[id];
  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef({ firstId: 0, lastId: 0, height: 0 });

  useEffect(() => {
    setOpenConversation(id);
    void openThread(accountId, id);
    void markSeen(accountId, id).catch(() => undefined);
    if (!conversations.get().byId[id]) {
      getConversation(accountId, id)
        .then((c) => upsertConversation(c))
        .catch(() => undefined);
    }
    return () => setOpenConversation(undefined);
  }, [accountId, id]);

  // keep the view where the reader is: at the bottom for new messages, in place when older ones arrive above
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const firstId = state.items[0]?.id ?? 0;
    const lastId = state.items[state.items.length - 1]?.id ?? 0;
    const before = anchor.current;
    const nearBottom = before.height - box.scrollTop - box.clientHeight < 120;
    if (firstId !== before.firstId && before.firstId !== 0 && lastId === before.lastId) {
      box.scrollTop += box.scrollHeight - before.height;
    } else if (lastId !== before.lastId && (nearBottom || before.lastId === 0)) {
      box.scrollTop = box.scrollHeight;
    }
    anchor.current = { firstId, lastId, height: box.scrollHeight };
  }, [state.items]);

  useEffect(() => {
    // an incoming message while the conversation is on screen is read
    const last = state.items[state.items.length - 1];
    if (last && last.message_type === 0 && last.id > 0) void markSeen(accountId, id).catch(() => undefined);
  }, [state.items.length]);

  return (
    <section class="conversation-view" aria-label="Conversation">
      <header class="conversation-header">
        <h2>{conversation?.meta?.sender?.name ?? `Conversation #${id}`}</h2>
        {conversation && <ConversationActions accountId={accountId} userId={userId} conversation={conversation} />}
      </header>
      <div
        class="messages"
        ref={scroller}
        onScroll={(e) => {
          if (e.currentTarget.scrollTop < 80) void loadOlder();
        }}
      >
        {state.loadingOlder && <p class="loading-older">Loading older messages…</p>}
        {state.error && <p role="alert">{state.error}</p>}
        <ol aria-label="Messages" aria-live="polite">
          {state.items.map((message) => (
            <MessageItem key={message.echo_id ?? message.id} message={message} />
          ))}
        </ol>
      </div>
      <ReplyBox accountId={accountId} />
    </section>
  );
}
