import { useEffect, useState } from 'preact/hooks';
import { type CannedResponse, searchCannedResponses } from '../api/canned-responses.js';
import './canned.css';

/** Where a `/word` being typed starts, and the word: the canned-response trigger, as Chatwoot's editor has it. */
export function cannedTrigger(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(?:^|\s)\/(\S*)$/.exec(text.slice(0, caret));
  if (!match) return undefined;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/** The canned responses matching a query (none while there is no query), newest answer winning. */
export function useCannedResponses(accountId: number, query: string | undefined): CannedResponse[] {
  const [items, setItems] = useState<CannedResponse[]>([]);
  useEffect(() => {
    if (query === undefined) {
      setItems([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      searchCannedResponses(accountId, query)
        .then((found) => current && setItems(found.slice(0, 8)))
        .catch(() => current && setItems([]));
    }, 80);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [accountId, query]);
  return items;
}

export const cannedOptionId = (id: number) => `canned-${id}`;

/** The list above the reply box; the textarea keeps focus and points at the active option. */
export function CannedMenu({
  items,
  active,
  onPick,
}: {
  items: CannedResponse[];
  active: number;
  onPick(item: CannedResponse): void;
}) {
  return (
    <div class="canned-menu" id="canned-menu" role="listbox" aria-label="Canned responses">
      {items.map((item, index) => (
        // the textarea keeps the keyboard (arrows, Enter, Tab) and points here; a click picks too
        // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the textarea that owns this list
        <div
          key={item.id}
          id={cannedOptionId(item.id)}
          role="option"
          tabIndex={-1}
          aria-selected={index === active}
          data-short-code={item.short_code}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(item)}
        >
          <strong>{item.short_code}</strong>
          <span>{item.content}</span>
        </div>
      ))}
    </div>
  );
}
