import type { ComponentChildren } from 'preact';

/** One figure of a report: its label, its value (and the raw number in `data-value`), an optional note. */
export function Card({
  metric,
  label,
  value,
  raw,
  note,
}: {
  metric: string;
  label: string;
  value: ComponentChildren;
  raw?: number | null | undefined;
  note?: string | undefined;
}) {
  return (
    <li data-metric={metric}>
      <span class="report-card-label">{label}</span>
      <strong class="report-card-value" data-value={raw ?? undefined}>
        {value}
      </strong>
      {note && <span class="report-card-change">{note}</span>}
    </li>
  );
}

/** A named row of cards. */
export const Cards = ({ label, children }: { label: string; children: ComponentChildren }) => (
  <ul class="report-cards" aria-label={label}>
    {children}
  </ul>
);

/** The first of the screen's load errors, as an alert. */
export const LoadError = ({ errors }: { errors: string[] }) => {
  const error = errors.find(Boolean);
  return error ? <p role="alert">{error}</p> : null;
};

/** A table's column headings. */
export const TableHead = ({ columns }: { columns: string[] }) => (
  <thead>
    <tr>
      {columns.map((column) => (
        <th key={column} scope="col">
          {column}
        </th>
      ))}
    </tr>
  </thead>
);
