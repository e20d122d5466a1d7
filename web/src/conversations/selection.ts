import { createStore } from '../lib/store.js';

/** The conversations ticked for a bulk action (display ids); another filter or account clears them. */
export const selection = createStore<ReadonlySet<number>>(new Set());

export function toggleSelected(id: number, on: boolean) {
  selection.set((now) => {
    const next = new Set(now);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  });
}

export const selectAll = (ids: number[]) => selection.set(new Set(ids));
export const clearSelection = () => selection.set(new Set());
