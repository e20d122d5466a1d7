import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  label: string;
  keyOf(item: T): string | number;
  renderRow(item: T, index: number): ComponentChildren;
  /** Called when the last rows come into view (to load the next page). */
  onEndReached?(): void;
  footer?: ComponentChildren;
}

const OVERSCAN = 6;

/** A list of fixed-height rows that renders only those in view: thousands of rows cost a screenful. */
export function VirtualList<T>({ items, rowHeight, label, keyOf, renderRow, onEndReached, footer }: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight || 800 });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN);

  useLayoutEffect(() => {
    if (onEndReached && last >= items.length - OVERSCAN) onEndReached();
  }, [last, items.length, onEndReached]);

  return (
    <div class="virtual-list" ref={box} onScroll={(e) => setView((v) => ({ ...v, top: e.currentTarget.scrollTop }))}>
      <ul aria-label={label} style={{ height: `${items.length * rowHeight}px` }}>
        {items.slice(first, last).map((item, offset) => (
          <li
            key={keyOf(item)}
            style={{ transform: `translateY(${(first + offset) * rowHeight}px)`, height: `${rowHeight}px` }}
          >
            {renderRow(item, first + offset)}
          </li>
        ))}
      </ul>
      {footer}
    </div>
  );
}
