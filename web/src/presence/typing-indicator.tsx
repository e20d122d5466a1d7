import { useStore } from '../lib/store.js';
import { typing } from './store.js';
import './presence.css';

/** "Jane is typing…" under the messages, from conversation.typing_on/off. */
export function TypingIndicator({ conversationId }: { conversationId: number }) {
  const names = Object.values(useStore(typing)[conversationId] ?? {});
  return (
    <p class="typing-indicator" aria-live="polite" data-typing={names.length > 0}>
      {names.length === 0 ? '' : `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…`}
    </p>
  );
}
