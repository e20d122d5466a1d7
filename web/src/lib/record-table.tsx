import type { ComponentChildren } from 'preact';

/** One column of a records table: its header and what a record shows in it. */
export interface Column<T> {
  label: string;
  render(item: T): ComponentChildren;
}

/**
 * A settings list as a table: a row a record (its id in `data-id`, which tests and focus find),
 * and, when `actions` is given, a last column of the row's buttons under a header only screen
 * readers hear.
 */
export function RecordTable<T extends { id: number | string }>({
  items,
  columns,
  actionsLabel,
  actions,
}: {
  items: readonly T[];
  columns: readonly Column<T>[];
  actionsLabel: string;
  actions?(item: T): ComponentChildren;
}) {
  return (
    <table class="settings-table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} scope="col">
              {c.label}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span class="visually-hidden">{actionsLabel}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-id={item.id}>
            {columns.map((c) => (
              <td key={c.label}>{c.render(item)}</td>
            ))}
            {actions && <td class="row-actions">{actions(item)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
