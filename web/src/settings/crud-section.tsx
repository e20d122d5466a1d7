import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useFocusOnShow } from '../lib/focus.js';
import { type Column, RecordTable } from '../lib/record-table.js';
import { ConfirmButton } from './confirm-button.js';
import { type FieldSpec, type FormValues, SimpleForm } from './form.js';
import { useLoad } from './use-load.js';

/** How a row is edited: the form's values from the row, and the save. */
export interface Edit<T> {
  values(item: T): FormValues;
  save(item: T, values: FormValues): Promise<unknown>;
  /** The edit form's fields when they differ from the create form's. */
  fields?: FieldSpec[];
}

/**
 * One settings screen over one resource: its list as a table, a create form, an edit form in its
 * place for the row being edited, and a delete that asks once more on the same button (no modal to
 * trap focus in). Every change reloads the list from the API, so what is shown is what the server stored.
 */
export function CrudSection<T extends { id: number | string }>({
  title,
  description,
  load,
  deps,
  columns,
  createLabel,
  fields,
  create,
  remove,
  edit,
  nameOf,
  children,
}: {
  title: string;
  description?: string;
  load(): Promise<T[]>;
  deps: unknown[];
  columns: Column<T>[];
  createLabel?: string;
  fields?: FieldSpec[];
  create?(values: FormValues): Promise<unknown>;
  remove?(item: T): Promise<unknown>;
  edit?: Edit<T>;
  nameOf(item: T): string;
  children?: ComponentChildren;
}) {
  const { data, error, reload } = useLoad(load, deps);
  const [editing, setEditing] = useState<T | undefined>(undefined);
  // keyboard users land in the form they opened
  useFocusOnShow(editing, () => document.querySelector<HTMLElement>('form.editing :is(input, textarea, select)'));
  const hasActions = Boolean(remove || edit);
  return (
    <section class="settings-section" aria-labelledby="settings-title">
      <h2 id="settings-title">{title}</h2>
      {description && <p class="muted">{description}</p>}
      {error && <p role="alert">{error}</p>}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && data.length === 0 && <p class="muted">None yet.</p>}
      {data && data.length > 0 && (
        <RecordTable
          items={data}
          columns={columns}
          actionsLabel="Actions"
          actions={
            hasActions
              ? (item) => (
                  <>
                    {edit && (
                      <button type="button" aria-label={`Edit ${nameOf(item)}`} onClick={() => setEditing(item)}>
                        Edit
                      </button>
                    )}
                    {remove && (
                      <ConfirmButton
                        label="Delete"
                        confirmLabel="Confirm delete"
                        subject={nameOf(item)}
                        onConfirm={() => remove(item).then(reload)}
                      />
                    )}
                  </>
                )
              : undefined
          }
        />
      )}
      {children}
      {editing && edit ? (
        <>
          <h3>Edit {nameOf(editing)}</h3>
          <SimpleForm
            key={editing.id}
            class="editing"
            name={`Edit ${nameOf(editing)}`}
            fields={(edit.fields ?? fields ?? []).map((f) => ({
              ...f,
              initial: edit.values(editing)[f.name] ?? f.initial,
            }))}
            submitLabel="Save changes"
            onSubmit={async (values) => {
              await edit.save(editing, values);
              setEditing(undefined);
              reload();
            }}
          />
          <button type="button" onClick={() => setEditing(undefined)}>
            Cancel
          </button>
        </>
      ) : (
        create &&
        fields && (
          <>
            <h3>{createLabel}</h3>
            <SimpleForm
              name={createLabel ?? title}
              fields={fields}
              submitLabel={createLabel ?? 'Create'}
              onSubmit={(values) => create(values).then(reload)}
            />
          </>
        )
      )}
    </section>
  );
}
