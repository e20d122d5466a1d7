import { errorText } from './errors.js';

// Reordering categories and articles: one place up or down by buttons (keyboard-reachable, unlike
// the dashboard's drag and drop), then the whole order sent as `positions_hash`.

/** A list with one item moved one place up or down (the same list when it cannot move). */
export function moved<T>(items: T[], index: number, step: -1 | 1): T[] {
  const target = index + step;
  if (target < 0 || target >= items.length) return items;
  const next = [...items];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/**
 * Moves one item at once on screen (`show`), sends the new order, then reloads what the server
 * stored; a refusal is reported (`fail`) and the reload puts the old order back.
 */
export function moveItem<T extends { id: number }>(
  list: T[],
  index: number,
  step: -1 | 1,
  how: { show(next: T[]): void; send(ids: number[]): Promise<unknown>; reload(): void; fail(message: string): void },
) {
  const next = moved(list, index, step);
  if (next === list) return;
  how.fail('');
  how.show(next);
  how.send(next.map((item) => item.id)).then(how.reload, (e) => {
    how.fail(errorText(e));
    how.reload();
  });
}

/** The ↑ and ↓ buttons of one row, named after the item. */
export function MoveButtons({
  name,
  index,
  count,
  onMove,
}: {
  name: string;
  index: number;
  count: number;
  onMove(step: -1 | 1): void;
}) {
  return (
    <>
      <button type="button" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(-1)}>
        ↑
      </button>
      <button type="button" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
        ↓
      </button>
    </>
  );
}
