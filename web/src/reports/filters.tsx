import { useState } from 'preact/hooks';
import { Choice, type ChoiceOption } from '../lib/choice.js';

/** One filter select of a report: label, name, value, the "all" text, the options, what a change does. */
export type FilterChoice = [
  label: string,
  name: string,
  value: string,
  placeholder: string,
  options: ChoiceOption[],
  onChange: (value: string) => void,
];

/** A report's filter selects, in order. */
export const FilterChoices = ({ choices }: { choices: FilterChoice[] }) => (
  <>
    {choices.map(([label, name, value, placeholder, options, onChange]) => (
      <Choice
        key={name}
        label={label}
        name={name}
        value={value}
        placeholder={placeholder}
        options={options}
        onChange={onChange}
      />
    ))}
  </>
);

/**
 * The page of a list that belongs to the filters it was chosen with (`key`): new filters start
 * again from the first page.
 */
export function usePage(key: string) {
  const [paging, setPaging] = useState({ key, page: 1 });
  const page = paging.key === key ? paging.page : 1;
  return [page, (next: number) => setPaging({ key, page: next })] as const;
}

/** Previous / next buttons and "Page n of m", as a labelled nav. */
export function Pager({
  label,
  page,
  pages,
  onPage,
}: {
  label: string;
  page: number;
  pages: number;
  onPage(page: number): void;
}) {
  return (
    <nav class="report-pager" aria-label={label}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>{`Page ${page} of ${pages}`}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
