import { toggleTyping } from '../api/typing.js';

/** Chatwoot's dashboard sends typing "on" at most every few seconds and "off" after a pause. */
const ON_EVERY_MS = 3000;
const OFF_AFTER_MS = 2500;

/**
 * The agent's typing indicator for one conversation, from what happens in the reply box
 * (`#reply-text`, inside `form.reply-box`, `.private` in note mode): typing on, throttled; off after
 * a pause, on sending, on leaving the box or the conversation. Listening on the document keeps the
 * reply box free of this concern. Returns the cleanup.
 */
export function watchAgentTyping(accountId: number, conversationId: number): () => void {
  let on = false;
  let isPrivate = false;
  let lastOn = 0;
  let offTimer: ReturnType<typeof setTimeout> | undefined;

  const send = (next: boolean) => {
    on = next;
    void toggleTyping(accountId, conversationId, next, isPrivate).catch(() => undefined);
  };
  const stop = () => {
    clearTimeout(offTimer);
    if (on) send(false);
  };
  const isReplyBox = (target: EventTarget | null): target is HTMLTextAreaElement =>
    target instanceof HTMLTextAreaElement && target.id === 'reply-text';

  const onInput = (event: Event) => {
    if (!isReplyBox(event.target)) return;
    if (!event.target.value.trim()) return stop();
    const nowPrivate = Boolean(event.target.closest('form')?.classList.contains('private'));
    // switching between reply and note: the contact's indicator goes off before a private one starts
    if (on && nowPrivate !== isPrivate) stop();
    isPrivate = nowPrivate;
    if (!on || Date.now() - lastOn > ON_EVERY_MS) {
      lastOn = Date.now();
      send(true);
    }
    clearTimeout(offTimer);
    offTimer = setTimeout(stop, OFF_AFTER_MS);
  };
  const onLeave = (event: Event) => {
    if (isReplyBox(event.target)) stop();
  };
  const onSubmit = (event: Event) => {
    if (event.target instanceof HTMLFormElement && event.target.querySelector('#reply-text')) stop();
  };
  const onKey = (event: KeyboardEvent) => {
    // Enter sends without a submit event when the box handles it itself
    if (isReplyBox(event.target) && event.key === 'Enter' && !event.shiftKey) setTimeout(stop, 0);
  };

  document.addEventListener('input', onInput);
  document.addEventListener('focusout', onLeave);
  document.addEventListener('submit', onSubmit, true);
  document.addEventListener('keydown', onKey);
  return () => {
    document.removeEventListener('input', onInput);
    document.removeEventListener('focusout', onLeave);
    document.removeEventListener('submit', onSubmit, true);
    document.removeEventListener('keydown', onKey);
    stop();
  };
}
