import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';

/**
 * Focuses the first field of a form when it appears (an edit opened by a button goes straight to
 * typing). A layout effect: it runs as the form is put in the page, before the browser paints —
 * after the paint, as useEffect would, it took the focus from a field clicked or filled meanwhile
 * (a phone number typed at once went into the name).
 */
export function useFocusFirst(ref: RefObject<HTMLElement | null>, shown = true) {
  useLayoutEffect(() => {
    if (shown) ref.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea')?.focus();
  }, [shown]);
}
