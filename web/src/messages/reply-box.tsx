import { useState } from 'preact/hooks';
import { sendReply } from './store.js';

/** The reply box: Enter sends, Shift+Enter breaks the line; the toggle makes it a private note. */
export function ReplyBox() {
  const [text, setText] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const submit = (event?: Event) => {
    event?.preventDefault();
    const content = text.trim();
    if (!content) return;
    setText('');
    void sendReply(content, isPrivate);
  };
  return (
    <form class={`reply-box${isPrivate ? ' private' : ''}`} onSubmit={submit}>
      <fieldset class="reply-mode">
        <legend class="visually-hidden">Reply mode</legend>
        <button type="button" aria-pressed={!isPrivate} onClick={() => setPrivate(false)}>
          Reply
        </button>
        <button type="button" aria-pressed={isPrivate} onClick={() => setPrivate(true)}>
          Private note
        </button>
      </fieldset>
      <label class="visually-hidden" for="reply-text">
        {isPrivate ? 'Private note (only agents see it)' : 'Reply to the contact'}
      </label>
      <textarea
        id="reply-text"
        rows={3}
        value={text}
        placeholder={
          isPrivate ? 'Private note: only agents see it' : 'Reply… (Enter to send, Shift+Enter for a new line)'
        }
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
        }}
      />
      <button type="submit" class="send" disabled={!text.trim()}>
        {isPrivate ? 'Add note' : 'Send'}
      </button>
    </form>
  );
}
