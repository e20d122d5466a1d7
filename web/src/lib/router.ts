import { createStore, useStore } from './store.js';

/** The path under /app, e.g. `/login` or `/accounts/1/conversations/7`. */
const BASE = '/app';

const current = () => {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return { path: path || '/', search: new URLSearchParams(window.location.search) };
};

export const route = createStore(current());

window.addEventListener('popstate', () => route.set(current()));

/** Goes to a path under /app (client-side, no reload). */
export function navigate(path: string, options: { replace?: boolean } = {}) {
  const url = `${BASE}${path}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  route.set(current());
}

export const useRoute = () => useStore(route);

/** `/accounts/:account/conversations/:id` → { account, id }, or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.replace(/\/+$/, '').split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = have[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

/** Follows a click on an in-app link without a reload (plain clicks only: a new tab stays a new tab). */
export function followLink(event: MouseEvent) {
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return;
  const href = anchor.getAttribute('href') ?? '';
  if (!href.startsWith(`${BASE}/`)) return;
  event.preventDefault();
  navigate(href.slice(BASE.length));
}
