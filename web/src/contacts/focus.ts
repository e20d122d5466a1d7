import type { RefObject } from 'preact';
import { useFocusOnShow } from '../lib/focus.js';

/** Focuses the first field of a form when it appears (an edit opened by a button goes straight to typing). */
export function useFocusFirst(ref: RefObject<HTMLElement | null>, shown = true) {
  useFocusOnShow(shown, () => ref.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea'));
}
