import { useEffect, useRef } from 'preact/hooks';

/** What a keyboard shortcut can do; the screen on show registers the handler. */
export type ShortcutAction = 'resolve' | 'snooze' | 'reply' | 'note' | 'attach' | 'next' | 'prev' | 'next-tab' | 'help';

export interface Shortcut {
  action: ShortcutAction;
  keys: string[];
  label: string;
  /** Alt combinations work while typing; plain keys only outside text fields. */
  alt?: string;
  plain?: string;
}

/**
 * The shortcuts, in the help overlay's order. Alt combinations are Chatwoot's (Alt+E resolve,
 * Alt+J / Alt+K next and previous conversation, Alt+L reply, Alt+P private note, Alt+M snooze,
 * Alt+N next tab, Alt+A attach); j, k, r and ? are the plain keys of mail clients.
 */
export const SHORTCUTS: Shortcut[] = [
  { action: 'resolve', keys: ['Alt', 'E'], alt: 'KeyE', label: 'Resolve or reopen the conversation' },
  { action: 'snooze', keys: ['Alt', 'M'], alt: 'KeyM', label: 'Open the status and snooze options' },
  { action: 'next', keys: ['J', 'or', 'Alt', 'J'], alt: 'KeyJ', plain: 'j', label: 'Next conversation' },
  { action: 'prev', keys: ['K', 'or', 'Alt', 'K'], alt: 'KeyK', plain: 'k', label: 'Previous conversation' },
  { action: 'reply', keys: ['R', 'or', 'Alt', 'L'], alt: 'KeyL', plain: 'r', label: 'Write a reply' },
  { action: 'note', keys: ['Alt', 'P'], alt: 'KeyP', label: 'Write a private note' },
  { action: 'attach', keys: ['Alt', 'A'], alt: 'KeyA', label: 'Attach a file' },
  { action: 'next-tab', keys: ['Alt', 'N'], alt: 'KeyN', label: 'Next tab (Mine, Unassigned, All)' },
  { action: 'help', keys: ['?'], plain: '?', label: 'Show these shortcuts' },
];

const handlers = new Map<ShortcutAction, () => void>();

/** Registers the handler of an action while the component is mounted (the latest render's handler runs). */
export function useShortcut(action: ShortcutAction, handler: () => void) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const run = () => latest.current();
    handlers.set(action, run);
    return () => {
      if (handlers.get(action) === run) handlers.delete(action);
    };
  }, [action]);
}

const typing = (target: EventTarget | null) => {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
};

/** The shortcut a key press means, if any. */
export function shortcutFor(event: KeyboardEvent): Shortcut | undefined {
  if (event.ctrlKey || event.metaKey) return undefined;
  if (event.altKey) return SHORTCUTS.find((s) => s.alt === event.code);
  if (typing(event.target)) return undefined;
  return SHORTCUTS.find((s) => s.plain === event.key);
}

/** Runs the registered handler of a shortcut; false when nothing on screen handles it. */
export function runShortcut(action: ShortcutAction): boolean {
  const handler = handlers.get(action);
  handler?.();
  return !!handler;
}
