import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useFocusOnShow } from './focus.js';

/**
 * A disclosure button that opens a small group of buttons below it: Escape or a click outside closes it and
 * focus returns to the button; arrow keys move between items. `open`/`onOpenChange` let a keyboard
 * shortcut open it too.
 */
export function Menu({
  label,
  buttonLabel,
  children,
  class: className = '',
  open: openProp,
  onOpenChange,
}: {
  label: string;
  buttonLabel: ComponentChildren;
  children: (close: () => void) => ComponentChildren;
  class?: string;
  open?: boolean;
  onOpenChange?(open: boolean): void;
}) {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean) => {
    setOpenState(next);
    onOpenChange?.(next);
  };
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useFocusOnShow(open, () => box.current?.querySelector<HTMLElement>('.menu-items button, .menu-items input'));
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return;
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = [...(box.current?.querySelectorAll<HTMLElement>('.menu-items button, .menu-items input') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
    next?.focus();
    event.preventDefault();
  };

  // keys are heard on the wrapper (the button and the items inside it), not a focusable element of its own
  const keys = useRef(onKeyDown);
  keys.current = onKeyDown;
  useEffect(() => {
    const element = box.current;
    const listener = (event: KeyboardEvent) => keys.current(event);
    element?.addEventListener('keydown', listener);
    return () => element?.removeEventListener('keydown', listener);
  }, []);

  return (
    <div class={`menu ${className}`} ref={box}>
      <button type="button" ref={button} aria-expanded={open} aria-label={label} onClick={() => setOpen(!open)}>
        {buttonLabel}
      </button>
      {open && <div class="menu-items">{children(close)}</div>}
    </div>
  );
}
