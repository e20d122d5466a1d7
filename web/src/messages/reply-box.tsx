import { useRef, useState } from 'preact/hooks';
import type { CannedResponse } from '../api/canned-responses.js';
import { ArticlePicker } from '../help-center/article-picker.js';
import { CannedMenu, cannedOptionId, cannedTrigger, useCannedResponses } from '../canned-responses/canned-menu.js';
import { useShortcut } from '../shortcuts/registry.js';
import './reply-box.css';
import { sendReply } from './store.js';

/**
 * The reply box: Enter sends, Shift+Enter breaks the line; the toggle makes it a private note;
 * `/word` offers canned responses; files go along as attachments.
 */
export function ReplyBox({ accountId }: { accountId: number }) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [isPrivate, setPrivate] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | undefined>();
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  const trigger = cannedTrigger(text, caret);
  const key = trigger && `${trigger.start}:${trigger.query}`;
  const canned = useCannedResponses(accountId, trigger && key !== dismissed ? trigger.query : undefined);
  const menuOpen = canned.length > 0;

  const focusBox = (note: boolean) => {
    setPrivate(note);
    box.current?.focus();
  };
  useShortcut('reply', () => focusBox(false));
  useShortcut('note', () => focusBox(true));
  useShortcut('attach', () => picker.current?.click());

  const submit = (event?: Event) => {
    event?.preventDefault();
    const content = text.trim();
    if (!content && !files.length) return;
    setText('');
    setFiles([]);
    void sendReply(content, isPrivate, files);
  };
  const pick = (item: CannedResponse) => {
    if (!trigger) return;
    const next = text.slice(0, trigger.start) + item.content + text.slice(caret);
    const at = trigger.start + item.content.length;
    setText(next);
    setCaret(at);
    setActive(0);
    requestAnimationFrame(() => box.current?.setSelectionRange(at, at));
  };
  /** An article's link from the picker, at the caret, set apart by spaces. */
  const insertText = (snippet: string) => {
    const before = text.slice(0, caret);
    const after = text.slice(caret);
    const piece = `${before && !/\s$/.test(before) ? ' ' : ''}${snippet}${after && !/^\s/.test(after) ? ' ' : ''}`;
    const at = before.length + piece.length;
    setText(before + piece + after);
    setCaret(at);
    requestAnimationFrame(() => {
      box.current?.focus();
      box.current?.setSelectionRange(at, at);
    });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (menuOpen) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : canned.length - 1)) % canned.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(canned[Math.min(active, canned.length - 1)]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(key);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
  };
  const track = (element: HTMLTextAreaElement) => {
    setText(element.value);
    setCaret(element.selectionStart);
    setActive(0);
  };

  return (
    <form class={`reply-box${isPrivate ? ' private' : ''}`} onSubmit={submit}>
      {menuOpen && <CannedMenu items={canned} active={active} onPick={pick} />}
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
        ref={box}
        rows={3}
        value={text}
        aria-controls={menuOpen ? 'canned-menu' : undefined}
        aria-activedescendant={menuOpen ? cannedOptionId(canned[active]?.id ?? 0) : undefined}
        placeholder={
          isPrivate
            ? 'Private note: only agents see it'
            : 'Reply… (Enter to send, Shift+Enter for a new line, / for canned responses)'
        }
        onInput={(e) => track(e.currentTarget)}
        onClick={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyUp={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') setCaret(e.currentTarget.selectionStart);
        }}
        onKeyDown={onKeyDown}
      />
      <div class="reply-actions">
        <input
          ref={picker}
          type="file"
          multiple
          class="visually-hidden"
          aria-label="Attach files"
          tabIndex={-1}
          onChange={(e) => {
            const chosen = [...(e.currentTarget.files ?? [])];
            setFiles((now) => [...now, ...chosen]);
            e.currentTarget.value = '';
          }}
        />
        <button type="button" class="attach" onClick={() => picker.current?.click()}>
          Attach file
        </button>
        <ArticlePicker accountId={accountId} onInsert={insertText} />
        <ul class="reply-files" aria-label="Files to send">
          {files.map((file, index) => (
            <li key={`${file.name}-${index}`}>
              {file.name}
              <button
                type="button"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((now) => now.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <button type="submit" class="send" disabled={!text.trim() && !files.length}>
          {isPrivate ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
