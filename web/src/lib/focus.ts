import { useLayoutEffect } from 'preact/hooks';

/**
 * Focuses `target()` whenever `shown` becomes truthy (or another truthy value: a form opened for
 * another record). A layout effect: it runs as the element is put in the page, before the browser
 * paints — after the paint, as useEffect would, it took the focus from a field clicked or filled
 * meanwhile (a phone number typed at once went into the name).
 */
export function useFocusOnShow(shown: unknown, target: () => HTMLElement | null | undefined) {
  useLayoutEffect(() => {
    if (shown) target()?.focus();
  }, [shown]);
}
